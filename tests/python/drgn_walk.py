# SPDX-License-Identifier: GPL-2.0-or-later
"""drgn_walk.py PTWALK IMAGE VMLINUX PID [OPTION...]: one line each,
"ok DESC" or "not ok DESC".

drgn (Debian 12's python3-drgn) opens IMAGE with the vmlinux's debug
info and finds process PID; the ptwalk module reads the memory through
drgn (prog.read(pa, n, True)) with drgn's VMCOREINFO, walks the process's
table from the root drgn found, and the entries are compared field by
field with `ptwalk walk --pid=PID OPTION... IMAGE' on the file."""
import importlib.util
import os
import sys

import drgn
from drgn.helpers.linux.mm import virt_to_phys
from drgn.helpers.linux.pid import find_task

import ptwalk

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import records  # noqa: E402

# The example's VMCOREINFO reader (examples/drgn-huge-mappings.py).
_spec = importlib.util.spec_from_file_location(
    "example", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            "..", "..", "examples", "drgn-huge-mappings.py"))
example = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(example)

PTWALK, IMAGE, VMLINUX, PID = sys.argv[1:5]
OPTIONS = sys.argv[5:]


def check(cond, desc):
    print(("ok " if cond else "not ok ") + desc, flush=True)


prog = drgn.Program()
prog.set_core_dump(IMAGE)
prog.load_debug_info([VMLINUX])
vmcoreinfo = example.elf_vmcoreinfo(IMAGE)
task = find_task(prog, int(PID))
root = virt_to_phys(task.mm.pgd).value_()
check(task.comm.string_() == b"guest-truth", "drgn finds pid %s, root 0x%x" % (PID, root))


def read(pa, n):
    try:
        return prog.read(pa, n, True)
    except drgn.FaultError:
        return b""


with ptwalk.open_reader(read, name="drgn", vmcoreinfo=vmcoreinfo) as pw:
    info = pw.info
    mine = [records.as_record(e) for e in pw.walk(root=root)]
    theirs = records.command_walk(PTWALK, IMAGE, ["--pid=" + PID] + OPTIONS)
    check(len(mine) > 0 and mine == theirs,
          "the walk through drgn's reader (%s, %s) is the file's: %d and %d entries"
          % (info["arch"], info["kernel_release"], len(mine), len(theirs)))
    kernel = pw.count()
    check(kernel["entries"] > 0, "the kernel's table through drgn: %d entries" % kernel["entries"])
