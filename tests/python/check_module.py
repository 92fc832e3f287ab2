# SPDX-License-Identifier: GPL-2.0-or-later
"""Checks of the ptwalk Python module, one line each: "ok DESC" or
"not ok DESC" (tests/python.test turns them into its checks).

check_module.py PTWALK PTWALK_GEN SRCDIR: the module (imported from the
build tree by PYTHONPATH) against the ptwalk command on generated images
of every architecture, form and anomaly, its reader path, its errors,
early-stopped walks, and memory after many calls."""
import gc
import glob
import json
import os
import resource
import subprocess
import sys

import ptwalk

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import records  # noqa: E402
from records import as_record  # noqa: E402

PTWALK, GEN, SRCDIR = sys.argv[1:4]
failures = 0


def check(cond, desc):
    global failures
    print(("ok " if cond else "not ok ") + desc, flush=True)
    if not cond:
        failures += 1


def command_walk(image, args):
    return records.command_walk(PTWALK, image, args)


# Every generated image: each root's walk, from the module and from the
# command, field by field; every form and anomaly the generator makes
# comes through.
forms, anomalies, images = set(), set(), 0
for desc in sorted(glob.glob(os.path.join(SRCDIR, "tests/images/*.desc")) +
                   glob.glob(os.path.join(SRCDIR, "tests/images/walk/*.desc"))):
    name = os.path.basename(desc)[:-5]
    roots = subprocess.run([GEN, "--roots", "--elf", name + ".vmcore", desc],
                           capture_output=True, text=True, check=True).stdout
    try:
        img = ptwalk.open(name + ".vmcore")
    except ptwalk.Error as e:
        # Images made to be refused (no VMCOREINFO and no facts).
        continue
    images += 1
    for line in roots.splitlines():
        f = line.split()
        if len(f) < 3 or f[0] != "root":
            continue
        root = int(f[2], 16)
        if f[1] == "kernel":
            if not img.info["kernel_root"]:
                continue
            mine = [as_record(e) for e in img.walk()]
            theirs = command_walk(name + ".vmcore", [])
        else:
            end = img.info["user_end"]
            mine = [as_record(e) for e in img.walk(root=root, start=0, end=end)]
            theirs = command_walk(name + ".vmcore",
                                  ["--pgd=%#x" % root, "--range=0x0-%#x" % end])
        for r in mine:
            forms.add(r[4])
            anomalies |= r[14]
        same = mine == theirs
        check(same and len(mine) > 0,
              "%s %s: the module's %d entries are walk --format=jsonl's %d"
              % (name, f[1], len(mine), len(theirs)))
        if not same:
            for a, b in zip(mine, theirs):
                if a != b:
                    print("# module:  %r\n# command: %r" % (a, b))
                    break
    img.close()
check(images >= 20, "%d generated images walked" % images)
check({"single", "cont-pte", "cont-pmd", "8xx-8m", "8xx-512k", "hugepd", "alias", "table"} <= forms,
      "every form seen: %s" % ", ".join(sorted(forms)))
check(len(anomalies) >= 10, "%d kinds of anomaly seen" % len(anomalies))

# jobs: a kdump-compressed image read ahead by workers walks as one
# thread reads it.
desc = os.path.join(SRCDIR, "tests/images/walk/arm64-anomalies.desc")
roots = subprocess.run([GEN, "--roots", "--kdump", "jobs.kdump", desc],
                       capture_output=True, text=True, check=True).stdout
user1 = int([l.split()[2] for l in roots.splitlines() if l.startswith("root user1 ")][0], 16)
with ptwalk.open("jobs.kdump", jobs=1) as one, ptwalk.open("jobs.kdump", jobs=4) as four:
    w1 = [as_record(e) for e in one.walk(root=user1, start=0, end=one.info["user_end"])]
    w4 = [as_record(e) for e in four.walk(root=user1, start=0, end=four.info["user_end"])]
check(w1 == w4 and len(w1) > 10 and any(r[14] for r in w1),
      "open(jobs=4) of a kdump image: the %d entries, anomalies and all, of jobs=1" % len(w4))

# The sample: translate, count, read, and the same memory through a
# reader callable (what drgn gives), facts explicit.
sample = os.path.join(SRCDIR, "data/sample-arm64.vmcore")
img = ptwalk.open(sample)
t = img.translate(0x2345678, root=0x41003000)
vtop = json.loads(subprocess.run([PTWALK, "vtop", "--format=jsonl", "--pgd=0x41003000", sample, "0x2345678"],
                                 capture_output=True, text=True, check=False).stdout)
check(t["mapped"] and t["pa"] == int(vtop["pa"], 16) and len(t["steps"]) == len(vtop["steps"])
      and t["entry"].form == "cont-pmd" and t["entry"].count == 16,
      "translate 0x2345678: vtop's PA %#x, %d steps, in a cont-pmd gang of 16"
      % (t["pa"], len(t["steps"])))
t = img.translate(0xffff7fff00000000)
check(not t["mapped"] and "is empty" in t["why"] and t["entry"] is None,
      "an unmapped address says why: %s" % t["why"])
c = img.count(root=0x41003000)
check(c["entries"] == len(list(img.walk(root=0x41003000))) and c["anomalous"] == 0,
      "count: %d entries, %d gangs" % (c["entries"], c["gangs"]))
check(img.read(0x4f000000, 8) == b"ptwalk-s", "read physical memory")
info = img.info
reads = [0]


def read(pa, n):
    reads[0] += 1
    return img.read(pa, n)


rd = ptwalk.open_reader(read, name="drgn", arch=info["arch"], page_size=info["page_size"],
                        va_bits=info["va_bits"], kernel_release=info["kernel_release"],
                        kernel_root=info["kernel_root"])
check(rd.info["format"] == "reader", "open_reader with explicit facts")
for root in (None, 0x41003000):
    a = [as_record(e) for e in img.walk(root=root)]
    b = [as_record(e) for e in rd.walk(root=root)]
    check(a == b and reads[0] > 0, "through the reader, the %s walk equals the file's (%d entries)"
          % ("kernel" if root is None else "process", len(a)))


class Boom(Exception):
    pass


def failing(pa, n):
    raise Boom("no memory at %#x" % pa)


bad = ptwalk.open_reader(failing, arch="arm64", page_size=4096, va_bits=48,
                         kernel_release=info["kernel_release"], kernel_root=info["kernel_root"])
try:
    list(bad.walk())
    check(False, "a reader that raises: its exception comes out of the walk")
except Boom as e:
    check("no memory at" in str(e), "a reader that raises: its exception comes out of the walk")
try:
    bad.translate(0xffff000000000000)
    check(False, "and out of translate")
except Boom:
    check(True, "and out of translate")
short = ptwalk.open_reader(lambda pa, n: b"", arch="arm64", page_size=4096, va_bits=48,
                           kernel_release=info["kernel_release"], kernel_root=info["kernel_root"])
try:
    list(short.walk())
    check(False, "a reader of no memory: the walk fails at the root")
except ptwalk.Error as e:
    check(e.code == 3 and "root table" in str(e), "a reader of no memory: %s" % e)

# diff: the records of `ptwalk diff --format=jsonl', field by field, on
# the generated pairs (side B is side A after one change of every kind),
# each root of each pair, with and without --ignore, --merge and
# --no-merge.
def py_side(side):
    if side is None:
        return None
    return (side["entries"], side["bytes"], side["uniform"], side["linear"],
            as_record(side["first"]))


def json_side(side):
    if side is None:
        return None
    return (side["entries"], side["bytes"], side["uniform"], side["linear"],
            records.json_record(side["first"]))


def py_diff_record(r):
    return (r["change"], r["va"], r["end"], r["size"], tuple(r["fields"]), r["pa_kept"],
            r["flags_kept"], py_side(r["a"]), py_side(r["b"]))


def json_diff_record(r):
    return (r["change"], int(r["va"], 16), int(r["end"], 16), r["size"], tuple(r["fields"]),
            r["pa_kept"], r["flags_kept"], json_side(r["a"]), json_side(r["b"]))


diff_pairs = diff_records = 0
for pair in ("arm64", "x86_64", "ppc8xx"):
    roots = {}
    for side in "ab":
        desc = os.path.join(SRCDIR, "tests/images/diff/%s-%s.desc" % (pair, side))
        out = subprocess.run([GEN, "--roots", "--elf", "%s-%s.vmcore" % (pair, side), desc],
                             capture_output=True, text=True, check=True).stdout
        roots[side] = {f[1]: int(f[2], 16) for f in (l.split() for l in out.splitlines())
                       if len(f) >= 3 and f[0] == "root"}
    a, b = ptwalk.open(pair + "-a.vmcore"), ptwalk.open(pair + "-b.vmcore")
    for name in sorted(roots["a"]):
        if name not in roots["b"]:
            continue
        kernel = name == "kernel"
        for variant in ({}, {"ignore": "pa,raw,young,dirty"}, {"merge": True}, {"separate": True}):
            kw = {} if kernel else {"root": roots["a"][name], "other_root": roots["b"][name]}
            mine = [py_diff_record(r) for r in a.diff(b, **kw, **variant)]
            args = [] if kernel else ["--a-pgd=%#x" % roots["a"][name], "--b-pgd=%#x" % roots["b"][name]]
            if "ignore" in variant:
                args.append("--ignore=" + variant["ignore"])
            if "merge" in variant:
                args.append("--merge")
            if "separate" in variant:
                args.append("--no-merge")
            out = subprocess.run([PTWALK, "diff", "-q", "--format=jsonl"] + args +
                                 [pair + "-a.vmcore", pair + "-b.vmcore"],
                                 capture_output=True, text=True, check=False).stdout
            theirs = [json_diff_record(json.loads(line)) for line in out.splitlines()
                      if not line.startswith('{"summary"')]
            diff_records += len(mine)
            check(mine == theirs,
                  "%s %s %s: Image.diff's %d records are diff --format=jsonl's %d"
                  % (pair, name, variant or "", len(mine), len(theirs)))
            diff_pairs += 1
    a.close()
    b.close()
check(diff_pairs >= 12 and diff_records >= 100,
      "diff compared on %d roots and variants, %d records" % (diff_pairs, diff_records))
same = ptwalk.open(sample)
other = ptwalk.open(sample)
check(same.diff(other) == [] and same.diff(other, root=0x41003000, other_root=0x41003000) == [],
      "an image against itself: no records")
try:
    same.diff(same)
    check(False, "diff of a handle with itself is refused")
except ptwalk.Error as e:
    check(e.code == 2 and "open the image twice" in str(e), "diff of a handle with itself: %s" % e)
try:
    same.diff(other, ignore="pa,nonsense")
    check(False, "diff with an unknown ignored field is refused")
except ptwalk.Error as e:
    check(e.code == 2 and "'nonsense'" in str(e), "diff ignore=...nonsense: %s" % e)
same.close()
other.close()

# Errors: ptwalk.Error with the code and one line.
for what, call, code in (
        ("a missing file", lambda: ptwalk.open("/nonexistent/vmcore"), 3),
        ("an unknown architecture", lambda: ptwalk.open(sample, arch="vax"), 2),
        ("a range ending before it starts", lambda: img.walk(start=2, end=1), 2),
        ("a non-canonical address", lambda: img.translate(0x0001000000000000), 2),
        ("tasks without symbols", lambda: img.tasks(), 3),
        ("an MMU neither radix nor hash", lambda: ptwalk.open("ppc64-hash-64k.vmcore", mmu="tree"), 2),
        ("an MMU VMCOREINFO contradicts", lambda: ptwalk.open("ppc64-hash-64k.vmcore", mmu="radix"), 2)):
    try:
        call()
        check(False, what + ": ptwalk.Error")
    except ptwalk.Error as e:
        check(e.code == code and "\n" not in str(e), "%s: code %d, %s" % (what, e.code, e))
try:
    ptwalk.open(sample, no_such_option=1)
    check(False, "an unknown keyword: TypeError")
except TypeError:
    check(True, "an unknown keyword: TypeError")

# Walks let go of early, and the image's one walk at a time.
w = img.walk(root=0x41003000)
first = [next(w) for _ in range(3)]
try:
    img.translate(0x2345678, root=0x41003000)
    check(False, "while a walk runs, the image refuses other calls")
except RuntimeError:
    check(True, "while a walk runs, the image refuses other calls")
del w
gc.collect()
check(len(first) == 3 and img.translate(0x2345678, root=0x41003000)["mapped"],
      "a walk dropped after 3 entries stops; the image works again")
w = rd.walk()
next(w)
w.close()
check(list(w) == [], "a closed walk is at its end")
with ptwalk.open(sample) as tmp:
    pass
try:
    tmp.walk()
    check(False, "a closed image: ValueError")
except ValueError:
    check(True, "a closed image: ValueError")

# Memory: many walks, translations and errors later, no growth.
def churn(n):
    for _ in range(n):
        list(img.walk(root=0x41003000))
        list(rd.walk())
        img.translate(0x2345678, root=0x41003000)
        try:
            ptwalk.open("/nonexistent/vmcore")
        except ptwalk.Error:
            pass
        w = img.walk()
        next(w)
        del w
        img.diff(rd, root=0x41003000, other_root=0x41003000)


churn(50)
gc.collect()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
refs = sys.getrefcount(img)
churn(500)
gc.collect()
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
check(after - before < 4096 and sys.getrefcount(img) == refs,
      "500 more rounds of walks, translations, diffs and errors: peak memory %+d KiB, references kept"
      % (after - before))
check(ptwalk.flag_names()[0] == "present" and "gang-partial" in ptwalk.anomaly_names(),
      "flag and anomaly names")
sys.exit(1 if failures else 0)
