# SPDX-License-Identifier: GPL-2.0-or-later
"""Entries of the ptwalk Python module and records of `ptwalk walk
--format=jsonl' as the same tuples, for comparing the two."""
import json
import subprocess


def as_record(e):
    """A module entry as the fields of a JSON record of ptwalk walk."""
    swap = None
    if e.swap is not None:
        swap = {"kind": e.swap["kind"], "type": e.swap["type"], "offset": e.swap["offset"]}
    return (e.va, e.end, e.size, e.level, e.form, e.count, e.kind, e.pa,
            e.flags, e.cache, e.pkey, swap, e.raw, e.slot, e.anomalies, e.alias_of,
            e.mapped, e.pfn)


def hexnum(v):
    return None if v is None else int(v, 16)


def json_record(r):
    swap = r["swap"]
    if swap is not None:
        swap = {"kind": swap["kind"], "type": swap["type"], "offset": int(swap["offset"], 16)}
    return (int(r["va"], 16), int(r["end"], 16), r["size"], r["level"], r["form"], r["count"],
            r["kind"], hexnum(r["pa"]), frozenset(r["flags"]), r["cache"], r["pkey"], swap,
            int(r["raw"], 16), int(r["slot"], 16), frozenset(r["anomalies"]),
            hexnum(r["alias_of"]), r["mapped"], hexnum(r["pfn"]))


def command_walk(ptwalk_cmd, image, args):
    """The records of `ptwalk walk --format=jsonl ARGS IMAGE' as tuples."""
    out = subprocess.run([ptwalk_cmd, "walk", "-q", "--format=jsonl"] + args + [image],
                         capture_output=True, text=True, check=False)
    return [json_record(json.loads(line)) for line in out.stdout.splitlines()]
