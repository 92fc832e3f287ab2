#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Checks on what `ptwalk map' draws, for tests/map.test.

  map-check.py expect WALK.jsonl [diff]   what a picture of this walk (or
                                          diff records) must show, as JSON
  map-check.py svg FILE EXPECT            the SVG's structure against EXPECT
  map-check.py html FILE EXPECT           the same inside the HTML page, and
                                          that the page fetches nothing
  map-check.py png FILE EXPECT            a rendering: 1280 px wide, and each
                                          legend colour and the anomaly red
                                          on it
  map-check.py textbox-page SVG OUT       a page that measures every text
                                          in the browser's layout
  map-check.py textbox-result DOM         the page's verdict, from
                                          chromium --dump-dom
  map-check.py ptdump FILE ARCH           walk --format=ptdump: every line
                                          the kernel's format for ARCH, the
                                          ranges one after the other
  map-check.py legend FILE LABEL...       the SVG's legend has these forms

The expectations come from the walk itself (its regions, forms, sizes and
anomalies), not from the picture: an independent reading of what must be
there. Exits 1 with a line on stderr for each thing missing."""
import json
import re
import struct
import sys
import xml.etree.ElementTree as ET
import zlib

SVG = "{http://www.w3.org/2000/svg}"
BAR_X, BAR_W, PIC_W, LABEL_END = 272, 990, 1280, 270


def size_text(n):
    """ptwalk's human sizes: whole units, else one decimal."""
    units = "BKMGTPE"
    u = 0
    while u < 6 and n >> (10 * (u + 1)):
        u += 1
    if u == 0:
        return "%dB" % n
    unit = 1 << (10 * u)
    if n % unit == 0:
        return "%d%s" % (n // unit, units[u])
    return "%.1f%s" % (n / unit, units[u])


def class_label(e):
    kind, form, level = e["kind"], e["form"], e["level"]
    if kind == "swap":
        return "swap entries"
    if form == "alias":
        return "alias (a shared table)"
    if kind == "bad":
        return "reserved entry"
    if form == "table":
        return "table not walked"
    if form == "single":
        return "%s %s%s" % (size_text(e["size"]), level, "" if level == "pte" else " block")
    return "%s %s" % (form, size_text(e["size"]))


def expect(walk, diff):
    bands, classes, anomalies = [], [], 0
    for line in open(walk):
        e = json.loads(line)
        if "summary" in e:
            continue
        if diff:
            label = e["change"]
            region = None
        else:
            drawn = e["kind"] in ("leaf", "swap", "bad") or e["form"] in ("alias", "table")
            if not drawn:
                continue
            label = class_label(e)
            region = e.get("region")
            if e["anomalies"]:
                anomalies += 1
        if label not in classes:
            classes.append(label)
        if region and region not in bands:
            bands.append(region)
    print(json.dumps({"bands": bands, "classes": classes, "anomalies": anomalies}))


def fail(msg):
    print(msg, file=sys.stderr)
    fail.count += 1


fail.count = 0


def check_svg(root, exp, html):
    if root.tag != SVG + "svg" or root.get("width") != str(PIC_W):
        fail("not an SVG %d pixels wide" % PIC_W)
    labels = [g.find(SVG + "text").text for g in root.iter(SVG + "g")
              if g.get("class") == "band-label"]
    if exp["bands"]:
        names = [l.split(": ")[-1] for l in labels]
        if names != exp["bands"]:
            fail("bands %s, expected a band per region %s" % (names, exp["bands"]))
    keys = {}
    for g in root.iter(SVG + "g"):
        if (g.get("class") or "").startswith("key") and g.get("data-class") is not None:
            text = g.find(SVG + "text").text
            keys[text.split(": ")[0]] = g.find(SVG + "rect").get("fill")
    if sorted(keys) != sorted(exp["classes"]):
        fail("legend %s, expected %s" % (sorted(keys), sorted(exp["classes"])))
    colours = set(keys.values())
    segs = [r for r in root.iter(SVG + "rect") if r.get("class") == "seg"]
    if not segs:
        fail("no ranges drawn")
    for r in segs:
        x, w = float(r.get("x")), float(r.get("width"))
        if x < BAR_X - 0.01 or x + w > BAR_X + BAR_W + 0.7 or w <= 0:
            fail("a range outside its bar: x %.2f width %.2f" % (x, w))
        if r.get("fill") not in colours:
            fail("a range coloured %s, in no legend entry" % r.get("fill"))
        tip = r.get("data-t") if html else (r.find(SVG + "title").text if r.find(SVG + "title") is not None else None)
        if not tip or not re.match(r"0x[0-9a-f]+-0x[0-9a-f]+: ", tip):
            fail("a range without its tooltip")
    marks = [p for p in root.iter(SVG + "path") if p.get("class") == "anomaly"]
    if exp["anomalies"] and not marks:
        fail("%d anomalous entries, no anomaly marked" % exp["anomalies"])
    if not exp["anomalies"] and marks:
        fail("anomalies marked where there are none")
    if exp["anomalies"] and not any((g.get("class") or "") == "key anomaly-key" for g in root.iter(SVG + "g")):
        fail("no legend entry for anomalies")


def load_svg(path):
    return ET.parse(path).getroot()


def check_html(path, exp):
    text = open(path, encoding="utf-8").read()
    if not text.startswith("<!DOCTYPE html>"):
        fail("not an HTML page")
    # Self-contained: no reference outside the page.
    if re.search(r"""(src|href)\s*=\s*["'](?!#)""", text) or "@import" in text or "<link" in text:
        fail("the page refers to something outside it")
    scripts = re.findall(r"<script[^>]*>", text)
    if scripts != ["<script>"]:
        fail("expected one inline script, found %s" % scripts)
    m = re.search(r"<svg.*</svg>", text, re.S)
    if not m:
        fail("no SVG in the page")
        return
    check_svg(ET.fromstring(m.group(0)), exp, True)


def png_pixels(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            if depth != 8 or ctype not in (2, 6):
                raise ValueError("unexpected PNG type %d/%d" % (depth, ctype))
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    colours = {}
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for i in range(0, stride, bpp):
            key = bytes(line[i:i + 3])
            colours[key] = colours.get(key, 0) + 1
        prev = line
    return w, h, colours


def check_png(path, exp, svg):
    w, h, colours = png_pixels(path)
    if w != PIC_W:
        fail("rendered %d pixels wide, not %d" % (w, PIC_W))
    root = load_svg(svg)
    for g in root.iter(SVG + "g"):
        if (g.get("class") or "").startswith("key") and g.get("data-class") is not None:
            fill = g.find(SVG + "rect").get("fill")
            rgb = bytes(int(fill[i:i + 2], 16) for i in (1, 3, 5))
            # The swatch alone is 28 x 12 pixels; the ranges add more.
            if colours.get(rgb, 0) < 200:
                fail("colour %s (%s) is not on the rendering" % (fill, g.find(SVG + "text").text))
    if exp["anomalies"] and colours.get(bytes((0xd6, 0x27, 0x28)), 0) < 10:
        fail("the anomaly marks are not on the rendering")


TEXTBOX_SCRIPT = """
<script>
var bad = [], n = 0;
document.querySelectorAll('svg text').forEach(function (t) {
  var b = t.getBBox(); n++;
  var right = b.x + b.width;
  var inLabel = t.parentNode.getAttribute('class') === 'band-label' && t.getAttribute('text-anchor') !== 'end';
  var limit = inLabel ? %d : %d;
  if (b.x < 0 || right > limit || b.width <= 0)
    bad.push(t.textContent + ' [' + b.x.toFixed(1) + ', ' + right.toFixed(1) + '] > ' + limit);
});
document.body.setAttribute('data-result', 'TEXTS ' + n + ' BAD ' + bad.length + ': ' + bad.join(' | '));
</script>
""" % (LABEL_END, PIC_W)


def textbox_page(svg, out):
    body = open(svg, encoding="utf-8").read()
    with open(out, "w", encoding="utf-8") as f:
        f.write("<!DOCTYPE html><html><head><meta charset='utf-8'><style>body{margin:0}</style></head><body>")
        f.write(body)
        f.write(TEXTBOX_SCRIPT)
        f.write("</body></html>")


def textbox_result(dom):
    m = re.search(r'data-result="TEXTS (\d+) BAD (\d+): ([^"]*)"', open(dom, encoding="utf-8").read())
    if not m:
        fail("the browser gave no measurement")
    elif int(m.group(1)) == 0:
        fail("no text measured")
    elif int(m.group(2)):
        fail("%s texts outside their box: %s" % (m.group(2), m.group(3)[:300]))


# Linux 6.12's formats: arch/arm64/mm/ptdump.c note_page() and dump_prot(),
# arch/x86/mm/dump_pagetables.c note_page() and printk_prot(),
# arch/powerpc/mm/ptdump/ptdump.c dump_addr(), pt_dump_size() and
# dump_flag_info() with 8xx.c's and book3s64.c's flag_array, arch/riscv/mm/ptdump.c
# dump_addr() and dump_prot() with its pte_bits[].
PTDUMP_LINE = {
    "arm64": re.compile(r"^0x([0-9a-f]{16})-0x([0-9a-f]{16})   [ 0-9]{8,}[0-9][KMGTPE] (PGD|P4D|PUD|PMD|PTE)"
                        r"(( [ F])( USR|    )( ro| RW)( NX| x )( SHD|    )( AF|   )( NG|   )( CON|    )"
                        r"(    | BLK)( UXN|    )( GP|   )( DEVICE/nGnRnE| DEVICE/nGnRE| MEM/NORMAL-NC| MEM/NORMAL| MEM/NORMAL-TAGGED)?)?$"),
    "x86_64": re.compile(r"^0x([0-9a-f]{16})-0x([0-9a-f]{16})   [ 0-9]{8,}[0-9][BKMGTPE] "
                         r"((USR |    )(RW |ro )(PWT |    )(PCD |    )(PSE |    )(PAT |    )(GLB |    )(NX |x  )| {30})"
                         r"(pgd|p4d|pud|pmd|pte)$"),
    "ppc8xx": re.compile(r"^0x([0-9a-f]{8})-0x([0-9a-f]{8})  0x[0-9a-f]{8} [ 0-9]{8,}[0-9][ KMGTPE] "
                         r"(  (huge|    ))(  (user|    ))?(  (rw|r |  ))(  ( X |   ))(  (present|       ))"
                         r"(  (guarded|       ))(  (dirty|     ))(  (accessed|        ))(  (no cache|        ))(  special)?$"),
    "ppc64": re.compile(r"^0x([0-9a-f]{16})-0x([0-9a-f]{16})  0x[0-9a-f]{16} [ 0-9]{8,}[0-9][ KMGTPE] "
                        r"  (user|    )  (r| )  (w| )  ( X |   )  (pte|   )  (valid|     )  (       |present)"
                        r"  (hpte|    )  (dirty|     )  (accessed|        )  (non-idempotent|              )"
                        r"  (tolerant|        )(  busy)?(  f_gix:[0-7](  f_second)?|(  combo)?(  4K_pfn)?)(  special)?$"),
    "riscv64": re.compile(r"^0x([0-9a-f]{16})-0x([0-9a-f]{16})    0x[0-9a-f]{16} [ 0-9]{8,}[0-9][KMGTPE] "
                          r"(PGD|P4D|PUD|PMD|PTE) [N.] (MT\(NC\)|MT\(IO\)|MT\(\?\?\)|  \.\.  ) "
                          r"(RSW\([123]\)|  \.\.  ) [D.] [A.] [G.] [U.] [X.] [W.] [R.] [V.]$"),
}
# Where runs without flags are left out rather than printed: no tiling.
PTDUMP_GAPS = ("ppc8xx", "ppc64", "riscv64")


def check_ptdump(path, arch):
    pat = PTDUMP_LINE[arch]
    prev_end, lines, markers, marker = None, 0, 0, ""
    for n, line in enumerate(open(path), 1):
        line = line.rstrip("\n")
        if re.match(r"^---\[ .* \]---$", line):
            markers += 1
            marker = line
            continue
        if re.match(r"^\.\.\. \d+ entr(y|ies) skipped \.\.\. $", line) and arch == "x86_64":
            prev_end = None
            continue
        m = pat.match(line)
        if not m:
            fail("line %d is not the kernel's format: %r" % (n, line))
            continue
        lines += 1
        start, end = int(m.group(1), 16), int(m.group(2), 16)
        # 8xx prints the last byte and leaves out runs without flags;
        # arm64 and x86 tile the range, the last line ending at 0.
        if arch not in PTDUMP_GAPS and prev_end is not None and start != prev_end:
            fail("line %d starts at 0x%x, the previous ended at 0x%x" % (n, start, prev_end))
        prev_end = end
    if not lines or not markers:
        fail("%d lines and %d markers" % (lines, markers))
    # x86 prints at most 16 lines under ESPfix: its last ones may be left out.
    if arch not in PTDUMP_GAPS and prev_end != 0 and "ESPfix" not in marker:
        fail("the last line ends at 0x%x, not at 0 (the kernel's flush)" % (prev_end or 0))


def check_legend(path, labels):
    root = load_svg(path)
    have = set()
    for g in root.iter(SVG + "g"):
        if (g.get("class") or "").startswith("key") and g.get("data-class") is not None:
            have.add(g.find(SVG + "text").text.split(": ")[0])
    for label in labels:
        if label not in have:
            fail("no %r in the legend (%s)" % (label, ", ".join(sorted(have))))


def main():
    cmd = sys.argv[1]
    if cmd == "expect":
        expect(sys.argv[2], len(sys.argv) > 3 and sys.argv[3] == "diff")
        return 0
    if cmd == "svg":
        check_svg(load_svg(sys.argv[2]), json.load(open(sys.argv[3])), False)
    elif cmd == "html":
        check_html(sys.argv[2], json.load(open(sys.argv[3])))
    elif cmd == "png":
        check_png(sys.argv[2], json.load(open(sys.argv[3])), sys.argv[4])
    elif cmd == "textbox-page":
        textbox_page(sys.argv[2], sys.argv[3])
    elif cmd == "textbox-result":
        textbox_result(sys.argv[2])
    elif cmd == "ptdump":
        check_ptdump(sys.argv[2], sys.argv[3])
    elif cmd == "legend":
        check_legend(sys.argv[2], sys.argv[3:])
    else:
        print("unknown check " + cmd, file=sys.stderr)
        return 2
    return 1 if fail.count else 0


if __name__ == "__main__":
    sys.exit(main())
