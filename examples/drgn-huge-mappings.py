#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""List a process's huge mappings in a kernel dump, with drgn and ptwalk
together: drgn finds the process and its memory map through the
kernel's debug info, ptwalk reads its page table through drgn and folds
what hugetlb hides behind one "huge pte" (arm64 contiguous PTE and PMD
gangs, powerpc 8xx pairs) into one entry each.

usage: drgn-huge-mappings.py VMCORE VMLINUX PID

One line per huge entry: its address range, size, form (single, cont-pte,
cont-pmd, ...), level, physical address, and what drgn says the mapping
is: hugetlb when its VMA has VM_HUGETLB, thp otherwise (for kernels that
keep VMAs on the mm->mmap list; drgn 0.0.22 has no maple-tree walker for
6.1 and later, where it says "huge")."""
import struct
import sys

import drgn
from drgn.helpers.linux.mm import virt_to_phys
from drgn.helpers.linux.pid import find_task

import ptwalk

VM_HUGETLB = 0x00400000  # include/linux/mm.h


def elf_vmcoreinfo(path):
    """The VMCOREINFO note of an ELF vmcore, as text. drgn 0.0.22 parses
    it but does not hand it out, and the kernel's own copy
    (vmcoreinfo_data) may be in memory the dump left out."""
    with open(path, "rb") as f:
        ident = f.read(64)
        if ident[:4] != b"\x7fELF" or ident[4] != 2:
            raise ValueError("%s: not a 64-bit ELF file" % path)
        end = "<" if ident[5] == 1 else ">"
        phoff, = struct.unpack(end + "Q", ident[32:40])
        phentsize, phnum = struct.unpack(end + "HH", ident[54:58])
        for i in range(phnum):
            f.seek(phoff + i * phentsize)
            p_type, _, p_offset, _, _, p_filesz = struct.unpack(end + "IIQQQQ", f.read(40))
            if p_type != 4:  # PT_NOTE
                continue
            f.seek(p_offset)
            notes = f.read(min(p_filesz, 1 << 20))
            at = 0
            while at + 12 <= len(notes):
                namesz, descsz, _ = struct.unpack(end + "III", notes[at:at + 12])
                name = notes[at + 12:at + 12 + namesz].rstrip(b"\0")
                desc_at = at + 12 + (namesz + 3) // 4 * 4
                if name == b"VMCOREINFO":
                    return notes[desc_at:desc_at + descsz].decode("ascii", "replace")
                at = desc_at + (descsz + 3) // 4 * 4
    raise ValueError("%s: no VMCOREINFO note" % path)


def vmas(mm):
    """(start, end, flags) of each VMA, where drgn can list them."""
    try:
        vma = mm.mmap
    except AttributeError:
        return []
    out = []
    while vma:
        out.append((vma.vm_start.value_(), vma.vm_end.value_(), vma.vm_flags.value_()))
        vma = vma.vm_next
    return out


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.split("\n\n")[1])
    vmcore, vmlinux, pid = sys.argv[1], sys.argv[2], int(sys.argv[3])
    prog = drgn.Program()
    prog.set_core_dump(vmcore)
    prog.load_debug_info([vmlinux])
    task = find_task(prog, pid)
    if not task:
        sys.exit("no process %d in %s" % (pid, vmcore))
    mm = task.mm
    root = virt_to_phys(mm.pgd).value_()
    maps = vmas(mm)

    def read(pa, n):
        try:
            return prog.read(pa, n, True)
        except drgn.FaultError:
            return b""  # not in the dump: ptwalk reports it absent

    vmcoreinfo = elf_vmcoreinfo(vmcore)
    with ptwalk.open_reader(read, name=vmcore, vmcoreinfo=vmcoreinfo) as pw:
        print("pid %d (%s) root 0x%x, %s %s" % (pid, task.comm.string_().decode(), root,
                                              pw.info["arch"], pw.info["kernel_release"]))
        for e in pw.walk(root=root):
            if e.kind != "leaf" or (e.level == "pte" and e.form == "single"):
                continue
            what = "huge"
            for start, end, flags in maps:
                if start <= e.va < end:
                    what = "hugetlb" if flags & VM_HUGETLB else "thp"
                    break
            anomalies = " " + ",".join(sorted(e.anomalies)) if e.anomalies else ""
            print("0x%016x-0x%016x %6s %-9s %-4s 0x%x %s%s"
                  % (e.va, e.end, ptwalk_size(e.size), e.form, e.level, e.pa, what,
                     anomalies))


def ptwalk_size(n):
    for unit, shift in (("G", 30), ("M", 20), ("K", 10)):
        if n >= 1 << shift and n % (1 << shift) == 0:
            return "%d%s" % (n >> shift, unit)
    return str(n)


if __name__ == "__main__":
    main()
