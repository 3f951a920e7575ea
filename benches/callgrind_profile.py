"""Per-request instruction profile with callgrind (valgrind), used by run.py (named so as not to
shadow the standard library's `profile` module).

callgrind counts the instructions each function executes, not seconds, so its numbers repeat
from run to run whatever else the machine is doing. A program is profiled twice, with N1 and N2
requests on one thread; the difference, divided by N2 - N1, is the cost of one request with the
process's start-up (loading, runtime start, CA roots, the first connection) taken out.
"""

import os
import re
import subprocess
from collections import defaultdict

LINE = re.compile(r"^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*)$")
TOTAL = re.compile(r"^\s*([\d,]+)\s+\(100\.0%\)\s+PROGRAM TOTALS")


def _number(text):
    return int(text.replace(",", ""))


def _clean(name):
    """`file:function [object]` from callgrind_annotate, as (function, object file name)."""
    obj = ""
    match = re.search(r" \[([^\]]+)\]$", name)
    if match:
        obj = os.path.basename(match.group(1))
        name = name[: match.start()]
    # Strip the source file part: "???:fn" or "./malloc/malloc.c:malloc".
    if ":" in name:
        head, _, tail = name.partition(":")
        if head == "???" or "/" in head or head.endswith((".c", ".S", ".h")):
            name = tail
    return name.strip(), obj


def annotate(path, inclusive):
    """{(function, object): Ir} and the program total, from one callgrind output file."""
    args = ["callgrind_annotate", "--threshold=100", f"--inclusive={'yes' if inclusive else 'no'}", path]
    text = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    costs = {}
    total = 0
    for line in text.splitlines():
        m = TOTAL.match(line)
        if m:
            total = _number(m.group(1))
            continue
        m = LINE.match(line)
        if m and "PROGRAM TOTALS" not in line:
            key = _clean(m.group(2))
            costs[key] = costs.get(key, 0) + _number(m.group(1))
    return costs, total


def run_callgrind(command, env, out):
    """Runs `command` under callgrind, its output in file `out`."""
    subprocess.run(
        ["valgrind", "--tool=callgrind", "--quiet", f"--callgrind-out-file={out}"] + command,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def total_instructions(command, env, out):
    """The instructions `command` executes in all (every thread, start-up included)."""
    run_callgrind(command, env, out)
    return annotate(out, False)[1]


def profile_program(command, env, out_prefix, n1, n2):
    """Runs `command + [--requests N]` under callgrind for N1 and N2; returns the two files."""
    files = []
    for n in (n1, n2):
        out = f"{out_prefix}.{n}.callgrind"
        run_callgrind(command + ["--requests", str(n), "--warmup", "0"], env, out)
        files.append(out)
    return files


def crate_of(function, obj):
    """The crate (or C library) an exclusive cost belongs to."""
    if obj and not obj.startswith("libgumloop") and not obj.startswith("bench_"):
        if obj.startswith("libc.so") or obj.startswith("libc-"):
            return "libc (malloc, memcpy, ...)"
        if obj.startswith("ld-linux"):
            return "dynamic loader"
        return obj
    name = function
    # "<A as B>::f": the implementing type A decides the crate; strip references and generics.
    while name.startswith("<"):
        name = name[1:]
    name = name.lstrip("&*").replace("mut ", "").replace("dyn ", "")
    crate = re.split(r"::|<|\s|\[|\(", name, maxsplit=1)[0]
    if crate in ("core", "alloc", "std"):
        return "Rust std (core, alloc, std)"
    if crate == "gumloop":
        return "gumloop (the library's own code)"
    if not crate or crate == "_":
        return "other"
    return crate


def per_request(files, n1, n2):
    """Per-request instructions: total, top functions (exclusive), top inclusive, by crate."""
    (ex1, t1), (ex2, t2) = annotate(files[0], False), annotate(files[1], False)
    (in1, _), (in2, _) = annotate(files[0], True), annotate(files[1], True)
    span = n2 - n1

    def diff(a, b):
        out = {}
        for key in set(a) | set(b):
            value = (b.get(key, 0) - a.get(key, 0)) / span
            if value > 0:
                out[key] = value
        return out

    exclusive = diff(ex1, ex2)
    inclusive = diff(in1, in2)
    crates = defaultdict(float)
    for (function, obj), value in exclusive.items():
        crates[crate_of(function, obj)] += value
    return {
        "total": (t2 - t1) / span,
        "startup": t1 - n1 * (t2 - t1) / span,
        "exclusive": sorted(exclusive.items(), key=lambda kv: -kv[1]),
        "inclusive": sorted(inclusive.items(), key=lambda kv: -kv[1]),
        "crates": sorted(crates.items(), key=lambda kv: -kv[1]),
    }
