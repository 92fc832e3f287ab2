#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Describe a generated kernel whose processes ptwalk finds from the image
alone: kallsyms tables in one of the encodings kernels have used, a BTF
blob with the task_struct and mm_struct members ptwalk reads, and a task
list of init_task and one process.

    kernel-image.py ARCH ENCODING PREFIX [device-private] [processes=N]

ARCH is x86_64, arm64 or ppc8xx. ENCODING is how kallsyms_offsets holds
the addresses, as scripts/kallsyms writes them (Linux 6.12 and 7.2
scripts/kallsyms.c write_src(), kernel/kallsyms.c kallsyms_sym_address()):

  base-relative    offset = addr - kallsyms_relative_base (u32)   6.x
  absolute-percpu  per-cpu symbols absolute, others base - 1 - addr
                   (x86_64 SMP, --absolute-percpu)                 6.x
  pc-relative      offset = addr - &kallsyms_offsets[i] (s32), no
                   kallsyms_relative_base in VMCOREINFO            7.x
  absolute32       offset = addr, a 32-bit kernel that cannot be
                   relocatable, no kallsyms_relative_base          7.x
  addresses        kallsyms_addresses[i] = addr (no base-relative)

With device-private, the kernel has make_device_exclusive(), as kernels
built with CONFIG_DEVICE_PRIVATE do (7.2 mm/rmap.c). VMCOREINFO's
SYMBOL(_stext) is the table's _stext, as in a real kernel.

With processes=N (arm64, for bench/make-tasks), the task list holds N
processes instead of one, in 1 GiB of RAM: each with tables of its own
mapping 16K at 0x400000, and its pud's second slot pointing to one pmd
table all share (1 GiB of 2M blocks at 0x40000000, as hugetlb's shared
PMDs are shared). The last lines printed are then "pgd ROOT MM_PA
LINEAR_OFFSET BYTES", one for each process's root ROOT.

It writes PREFIX.desc for ptwalk-gen, PREFIX.kallsyms and PREFIX.btf (the
blobs the description places in memory), and prints the expected
"PID COMM" of each task. The description lacks one word: mm->pgd of the
process, which needs the user root's address from `ptwalk-gen --roots`;
the caller appends `word MM_PA PGD_VA [4]` as printed on the last line
("pgd MM_PA LINEAR_OFFSET BYTES": PGD_VA = root + LINEAR_OFFSET).
"""
import struct
import sys

arch, encoding, prefix = sys.argv[1:4]
device_private = "device-private" in sys.argv[4:]
nproc = 1
for a in sys.argv[4:]:
    if a.startswith("processes="):
        nproc = int(a[len("processes="):])
if nproc > 1 and arch != "arm64":
    sys.exit("processes=N is for arm64")
be = arch == "ppc8xx"
ptr = 4 if arch == "ppc8xx" else 8
E = ">" if be else "<"


def u16(v):
    return struct.pack(E + "H", v)


def u32(v):
    return struct.pack(E + "I", v & 0xffffffff)


def uptr(v):
    return struct.pack(E + ("I" if ptr == 4 else "Q"), v & ((1 << (8 * ptr)) - 1))


# Memory layout: the kernel image's VA and PA, the linear map, and where
# each structure lives (physical).
if arch == "x86_64":
    release = "7.2.0" if encoding in ("pc-relative",) else "6.1.0"
    header = """arch x86_64
ram 0x0 64M
map 0xffff888000000000 64M 0x0 2M rw nx global
map 0xffffffff82000000 16M 0x2000000 2M rw x global"""
    kimg_va, kimg_pa = 0xffffffff82000000, 0x2000000
    linear = 0xffff888000000000          # VA of PA 0
    user = "map 0x400000 16K 0x3000000 4K rw user"
elif arch == "arm64":
    release = "7.2.0" if encoding == "pc-relative" else "6.12.0"
    # kimage_voffset: kernel image VA - PA (Linux 6.12
    # arch/arm64/include/asm/memory.h).
    header = """arch arm64
page-size 4K
va-bits 48
ram 0x40000000 256M
kimage-voffset 0xffff800040000000
map 0xffff000000000000 256M 0x40000000 2M rw nx global
map 0xffff800082000000 16M 0x42000000 2M rw x global"""
    kimg_va, kimg_pa = 0xffff800082000000, 0x42000000
    linear = 0xffff000000000000 - 0x40000000
    user = "map 0x400000 16K 0x43000000 4K rw user"
    if nproc > 1:
        header = header.replace("ram 0x40000000 256M", "ram 0x40000000 1G\ntables-at 0x60000000")
        header = header.replace("map 0xffff000000000000 256M", "map 0xffff000000000000 1G")
elif arch == "ppc8xx":
    release = "7.2.0" if encoding == "absolute32" else "6.12.0"
    header = """arch ppc8xx
ram 0x0 64M
map 0xc0000000 64M 0x0 8M rw x"""
    kimg_va, kimg_pa = 0xc2000000, 0x2000000
    linear = 0xc0000000
    user = "map 0x10000000 16K 0x3000000 4K rw user"
else:
    sys.exit("unknown arch " + arch)

ksyms_pa = kimg_pa + 0x800000
btf_pa = kimg_pa + 0x900000
init_task_pa = kimg_pa + 0xa00000
task_pa = 0x40101000 if arch == "arm64" else 0x101000
mm_pa = task_pa + 0x1000


def kva(pa):
    """The kernel-image VA of a PA in the image."""
    return kimg_va + (pa - kimg_pa)


def lva(pa):
    """The linear-map VA of a PA."""
    return linear + pa


# BTF (Linux include/uapi/linux/btf.h): int, char, list_head,
# char[16], task_struct { tasks, pid, tgid, comm, mm }, mm_struct { pgd },
# with the kernel's pointer size.
strs = b"\0"


def s(name):
    global strs
    off = len(strs)
    strs += name.encode() + b"\0"
    return off


types = b""


def t(name_off, kind, vlen, size_or_type, extra=b""):
    global types
    types += struct.pack(E + "III", name_off, (kind << 24) | vlen, size_or_type) + extra


INT, PTR, ARRAY, STRUCT = 1, 2, 3, 4
o_pid, o_tgid, o_comm, o_mm = 2 * ptr, 2 * ptr + 4, 2 * ptr + 8, 2 * ptr + 24
t(s("int"), INT, 0, 4, struct.pack(E + "I", (1 << 24) | 32))               # 1
t(s("char"), INT, 0, 1, struct.pack(E + "I", 8))                            # 2
t(0, PTR, 0, 4)                                                             # 3
t(s("list_head"), STRUCT, 2, 2 * ptr,
  struct.pack(E + "III", s("next"), 3, 0) + struct.pack(E + "III", s("prev"), 3, 8 * ptr))  # 4
t(0, ARRAY, 0, 0, struct.pack(E + "III", 2, 1, 16))                         # 5
t(0, PTR, 0, 7)                                                             # 6
t(s("mm_struct"), STRUCT, 1, 64, struct.pack(E + "III", s("pgd"), 8, 0))    # 7
t(0, PTR, 0, 1)                                                             # 8
t(s("task_struct"), STRUCT, 5, 64,
  struct.pack(E + "III", s("tasks"), 4, 0) + struct.pack(E + "III", s("pid"), 1, 8 * o_pid) +
  struct.pack(E + "III", s("tgid"), 1, 8 * o_tgid) + struct.pack(E + "III", s("comm"), 5, 8 * o_comm) +
  struct.pack(E + "III", s("mm"), 6, 8 * o_mm))                             # 9
btf = struct.pack(E + "HBBIIIII", 0xeB9F, 1, 0, 24, 0, len(types), len(types), len(strs)) + types + strs
open(prefix + ".btf", "wb").write(btf)

# The symbols, sorted by address as scripts/kallsyms sorts them. A long
# name (more than 127 tokens: a "big" symbol, two length bytes since 6.1)
# comes before the ones ptwalk looks up, so misreading its length would
# lose them.
syms = [
    ("T", "_text", kva(kimg_pa)),
    ("T", "_stext", kva(kimg_pa + 0x1000)),
    ("t", "rust_" + "x" * 140, kva(kimg_pa + 0x2000)),
    ("T", "start_kernel", kva(kimg_pa + 0x3000)),
] + ([("T", "make_device_exclusive", kva(kimg_pa + 0x4000))] if device_private else []) + [
    ("R", "__start_BTF", kva(btf_pa)),
    ("R", "__stop_BTF", kva(btf_pa + len(btf))),
    ("D", "init_task", kva(init_task_pa)),
    ("D", "init_mm", kva(init_task_pa + 0x800)),
    ("B", "_end", kva(kimg_pa + 0xb00000)),
]
percpu = []
if encoding == "absolute-percpu":
    # Per-cpu symbols, linked from 0, absolute.
    percpu = [("A", "fixed_percpu_data", 0x0), ("A", "cpu_number", 0x1a000)]
table = percpu + syms

# Tokens: every printable character stands for itself; the other indices
# hold multi-character tokens, as the compressor makes them.
words = ["init_", "task", "__", "BTF", "start", "stop", "text", "kernel", "xxxxxxxx", "_mm",
         "percpu", "rust_"]
tokens = [b""] * 256
free = [i for i in range(256) if not 0x20 <= i <= 0x7e]
for i in range(0x20, 0x7f):
    tokens[i] = bytes([i])
for w, i in zip(words, free):
    tokens[i] = w.encode()


def compress(text):
    out = []
    i = 0
    b = text.encode()
    while i < len(b):
        best = None
        for k, tok in enumerate(tokens):
            if tok and b.startswith(tok, i) and (best is None or len(tok) > len(tokens[best])):
                best = k
        out.append(best)
        i += len(tokens[best])
    return out


names = b""
for typ, name, _ in table:
    c = compress(typ + name)
    n = len(c)
    if n > 0x7f:
        names += bytes([0x80 | (n & 0x7f), n >> 7])
    else:
        names += bytes([n])
    names += bytes(c)
token_table = b""
token_index = b""
for tok in tokens:
    token_index += u16(len(token_table))
    token_table += tok + b"\0"

# The tables in one blob at ksyms_pa.
OFF_NUM, OFF_BASE, OFF_TINDEX, OFF_TTABLE, OFF_NAMES, OFF_OFFSETS, OFF_ADDRS = \
    0x0, 0x8, 0x10, 0x400, 0x2000, 0x10000, 0x20000
offsets_va = kva(ksyms_pa + OFF_OFFSETS)
if encoding == "absolute-percpu":
    base = min(a for typ, _, a in table if typ != "A")
else:
    base = min(a for _, _, a in table)
offsets = b""
for i, (typ, name, addr) in enumerate(table):
    if encoding == "base-relative":
        offsets += u32(addr - base)
    elif encoding == "absolute-percpu":
        offsets += u32(addr if typ == "A" else base - addr - 1)
    elif encoding == "pc-relative":
        offsets += u32(addr - (offsets_va + 4 * i))
    elif encoding in ("absolute32", "addresses"):
        offsets += u32(addr)
    else:
        sys.exit("unknown encoding " + encoding)
blob = bytearray(OFF_ADDRS + len(table) * ptr)
blob[OFF_NUM:OFF_NUM + 4] = u32(len(table))
blob[OFF_BASE:OFF_BASE + ptr] = uptr(base)
blob[OFF_TINDEX:OFF_TINDEX + len(token_index)] = token_index
blob[OFF_TTABLE:OFF_TTABLE + len(token_table)] = token_table
blob[OFF_NAMES:OFF_NAMES + len(names)] = names
blob[OFF_OFFSETS:OFF_OFFSETS + len(offsets)] = offsets
for i, (_, _, addr) in enumerate(table):
    blob[OFF_ADDRS + i * ptr:OFF_ADDRS + (i + 1) * ptr] = uptr(addr)
open(prefix + ".kallsyms", "wb").write(bytes(blob))

vmci = {
    "kallsyms_names": OFF_NAMES, "kallsyms_num_syms": OFF_NUM,
    "kallsyms_token_table": OFF_TTABLE, "kallsyms_token_index": OFF_TINDEX,
}
if encoding == "addresses":
    vmci["kallsyms_addresses"] = OFF_ADDRS
else:
    vmci["kallsyms_offsets"] = OFF_OFFSETS
if encoding in ("base-relative", "absolute-percpu"):
    vmci["kallsyms_relative_base"] = OFF_BASE

pw = 4 if ptr == 4 else 8
if nproc > 1:
    procs = ["root shared user", "map 0x40000000 1G 0x40000000 2M rw user"]
    for i in range(nproc):
        procs += [f"root p{i} user", f"map 0x400000 16K {0x44000000 + i * 0x4000:#x} 4K rw user",
                  "link 0x40000000 pud @shared:0x40000000"]
else:
    procs = ["root user1 user", user]
lines = [f"# {arch} kernel, kallsyms {encoding} (written by kernel-image.py)", header,
         f"release {release}"] + procs + [
         f"blob {ksyms_pa:#x} {prefix}.kallsyms", f"blob {btf_pa:#x} {prefix}.btf"]
for k, off in vmci.items():
    lines.append(f"vmcoreinfo-line SYMBOL({k})={kva(ksyms_pa + off):x}")
lines += ["vmcoreinfo-drop SYMBOL(_stext)", f"vmcoreinfo-line SYMBOL(_stext)={kva(kimg_pa + 0x1000):x}"]
# init_task -> the process -> back to init_task; tasks is the first
# member, so a list node is its task's address.
if nproc > 1:
    tasks = [0x50000000 + i * 0x2000 for i in range(nproc)]
    lines += [f"word {init_task_pa:#x} {lva(tasks[0]):#x} {pw}",
              f"word {init_task_pa + o_pid:#x} 0 4", f"word {init_task_pa + o_tgid:#x} 0 4",
              f"data {init_task_pa + o_comm:#x} swapper/0"]
    for i, t in enumerate(tasks):
        nxt = lva(tasks[i + 1]) if i + 1 < nproc else kva(init_task_pa)
        lines += [f"word {t:#x} {nxt:#x} {pw}", f"word {t + o_pid:#x} {100 + i} 4",
                  f"word {t + o_tgid:#x} {100 + i} 4", f"data {t + o_comm:#x} proc{i}",
                  f"word {t + o_mm:#x} {lva(t + 0x1000):#x} {pw}",
                  # mm->pgd, written once the roots are known: the page
                  # stored already, so the image's segments stay few.
                  f"word {t + 0x1000:#x} 0 {pw}"]
    open(prefix + ".desc", "w").write("\n".join(lines) + "\n")
    print("0 swapper/0")
    for i in range(nproc):
        print(f"{100 + i} proc{i}")
    for i, t in enumerate(tasks):
        print(f"pgd p{i} {t + 0x1000:#x} {linear & ((1 << (8 * ptr)) - 1):#x} {pw}")
    sys.exit(0)
lines += [
    f"word {init_task_pa:#x} {lva(task_pa):#x} {pw}",
    f"word {init_task_pa + o_pid:#x} 0 4", f"word {init_task_pa + o_tgid:#x} 0 4",
    f"data {init_task_pa + o_comm:#x} swapper/0",
    f"word {task_pa:#x} {kva(init_task_pa):#x} {pw}",
    f"word {task_pa + o_pid:#x} 42 4", f"word {task_pa + o_tgid:#x} 42 4",
    f"data {task_pa + o_comm:#x} guest-truth",
    f"word {task_pa + o_mm:#x} {lva(mm_pa):#x} {pw}",
]
open(prefix + ".desc", "w").write("\n".join(lines) + "\n")
print("0 swapper/0")
print("42 guest-truth")
print(f"pgd {mm_pa:#x} {linear & ((1 << (8 * ptr)) - 1):#x} {pw}")
