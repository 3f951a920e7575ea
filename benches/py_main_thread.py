"""Sync Python calls on the interpreter's main thread against the same calls on one worker thread.

    py_main_thread.py --client ffi|sdk --where main|worker --workload create_idle|retrieve
                      [--seconds S] [--warmup S] [--session-id ID]

Most Python programs call a sync client from the main thread, where signal handling (Ctrl-C)
lives; this runs one loop of calls there or on a `threading.Thread`, with the same measurement
as py_client.py (requests/s, latency percentiles, CPU per request, peak RSS), and prints one
JSON line. `sdk` is the official SDK, for reference. Reads GUMLOOP_BASE_URL.
"""

import argparse
import json
import os
import signal
import sys
import threading
import time
from typing import Any, Callable, List, Tuple

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from py_client import LABELS, make, percentile, status_kb, timed_calls  # noqa: E402


def loop(call: Callable[[], Any], seconds: float, warmup: float) -> Tuple[List[float], int, float, float]:
    """Warm-up, then calls for `seconds`: (latencies in seconds, errors, elapsed, CPU seconds)."""
    until = time.perf_counter() + warmup
    while time.perf_counter() < until:
        call()
    cpu_before = time.process_time()
    latencies, errors, start, before = timed_calls(call, seconds)
    return latencies, errors, before - start, time.process_time() - cpu_before


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--client", required=True, choices=["ffi", "sdk"])
    parser.add_argument("--where", required=True, choices=["main", "worker"])
    parser.add_argument("--workload", required=True, choices=["create_idle", "retrieve"])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--warmup", type=float, default=0.3)
    parser.add_argument("--session-id")
    args = parser.parse_args()
    if args.workload == "retrieve" and not args.session_id:
        parser.error("--workload retrieve needs --session-id")
    ops = make(args.client, os.environ["GUMLOOP_BASE_URL"])
    op = ops[args.workload]
    call = (lambda: op(args.session_id)) if args.workload == "retrieve" else op
    if args.where == "main":
        # As in a program started from a terminal: Python's own SIGINT handler (Ctrl-C raises
        # KeyboardInterrupt), which a shell's background job or a parent may have replaced with
        # SIG_IGN; a client that keeps Ctrl-C working on the main thread pays for it here.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        outcome = loop(call, args.seconds, args.warmup)
    else:
        box: List[Tuple[List[float], int, float, float]] = []
        worker = threading.Thread(target=lambda: box.append(loop(call, args.seconds, args.warmup)))
        worker.start()
        worker.join()
        outcome = box[0]
    latencies, errors, seconds, cpu = outcome
    latencies.sort()
    n = len(latencies)
    where = "main thread" if args.where == "main" else "a worker thread"
    print(json.dumps({
        "label": f"{LABELS[args.client]} (Python, {where})",
        "workload": args.workload,
        "threads": 1,
        "requests": n,
        "errors": errors,
        "seconds": round(seconds, 4),
        "rps": round(n / seconds, 1) if seconds > 0 else 0.0,
        "p50_us": round(percentile(latencies, 50) * 1e6, 1),
        "p99_us": round(percentile(latencies, 99) * 1e6, 1),
        "cpu_s": round(cpu, 4),
        "cpu_us_per_req": round(cpu * 1e6 / n, 2) if n else 0.0,
        "max_rss_kb": status_kb("VmHWM"),
    }), flush=True)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
