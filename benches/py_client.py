"""One Python client's run of one workload, printed as a JSON line (the driver, run.py, starts it).

    py_client.py --client ffi|sdk|requests|httpx --workload create_idle|create_input|retrieve
                 [--threads N] [--seconds S] [--warmup S] [--session-id ID]
    py_client.py --client ffi|sdk|requests|httpx --workload first

Every client is used as its users would: it builds the body, sends it, and hands back the parsed
answer (gumloop_ffi: its response objects; the official SDK: its pydantic models; requests and
httpx: ``response.json()``). Threads of the ffi and sdk clients share one client object, as those
clients are made for; requests and httpx get one session per thread (a ``requests.Session`` is
not documented as thread-safe), each reused for every request.

``--workload first`` measures, in a fresh interpreter: importing the package, creating the
client, a first and a second idle create, and the resident memory after each step.
Reads GUMLOOP_BASE_URL; the credentials are the emulator's fixtures.
"""

import argparse
import json
import os
import sys
import threading
import time
from typing import Any, Callable

AGENT = "agent_pro"
TOKEN = "gk_personal_ada"
USER = "user_ada"


def status_kb(field: str = "VmRSS") -> int:
    """A memory field of /proc/self/status in KiB: VmRSS (now) or VmHWM (peak). getrusage's
    ru_maxrss is not used: after fork and exec it keeps the parent's high-water mark."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return -1


def rss_kb() -> int:
    return status_kb("VmRSS")


def make_ffi(base_url: str):
    import gumloop_ffi

    client = gumloop_ffi.Client(api_key=TOKEN, user_id=USER, base_url=base_url)
    sessions = client.sessions
    retrieve = getattr(sessions, "retrieve", None)
    if retrieve is None:  # older package: no retrieve method yet, so call the library directly
        from gumloop_ffi._native import native
        from gumloop_ffi._types import parse_session_response

        def retrieve(session_id):
            code, text = native.client_call(
                "gumloop_client_get_session", client._handle.pointer, session_id.encode(), None
            )
            if code != 0:
                raise RuntimeError(text)
            return parse_session_response(text)

    return {
        "create_idle": lambda: sessions.create(AGENT),
        "create_input": lambda: sessions.create(AGENT, "hello"),
        "retrieve": retrieve,
    }


def make_sdk(base_url: str):
    import gumloop

    client = gumloop.Gumloop(api_key=TOKEN, user_id=USER, base_url=base_url)
    sessions = client.sessions
    return {
        "create_idle": lambda: sessions.create(AGENT),
        "create_input": lambda: sessions.create(AGENT, input="hello"),
        "retrieve": lambda session_id: sessions.retrieve(session_id),
    }


def make_plain(module_name: str, base_url: str):
    """requests or httpx: a reused session, the body sent as JSON, the answer parsed."""
    if module_name == "requests":
        import requests

        session = requests.Session()
    else:
        import httpx

        session = httpx.Client()
    session.headers.update(
        {"Authorization": f"Bearer {TOKEN}", "x-auth-key": USER, "Accept": "application/json"}
    )
    create_url = f"{base_url}/agents/{AGENT}/sessions"

    def create(body):
        response = session.post(create_url, json=body)
        response.raise_for_status()
        return response.json()

    def retrieve(session_id):
        response = session.get(f"{base_url}/sessions/{session_id}")
        response.raise_for_status()
        return response.json()

    return {
        "create_idle": lambda: create({}),
        "create_input": lambda: create({"input": "hello"}),
        "retrieve": retrieve,
    }


def make(client: str, base_url: str):
    if client == "ffi":
        return make_ffi(base_url)
    if client == "sdk":
        return make_sdk(base_url)
    return make_plain(client, base_url)


LABELS = {"ffi": "gumloop_ffi", "sdk": "gumloop SDK", "requests": "requests", "httpx": "httpx"}


def first_call(client: str, base_url: str) -> dict:
    """Import, client creation and the first two calls, timed, with VmRSS after each."""
    start_rss = rss_kb()
    t = time.perf_counter()
    if client == "ffi":
        import gumloop_ffi  # noqa: F401
    elif client == "sdk":
        import gumloop  # noqa: F401
    else:
        __import__(client)
    import_ms = (time.perf_counter() - t) * 1e3
    import_rss = rss_kb()
    t = time.perf_counter()
    ops = make(client, base_url)
    client_ms = (time.perf_counter() - t) * 1e3
    calls = []
    for _ in range(2):
        t = time.perf_counter()
        ops["create_idle"]()
        calls.append(((time.perf_counter() - t) * 1e3, rss_kb()))
    return {
        "label": LABELS[client],
        "load_ms": import_ms,
        "client_ms": client_ms,
        "first_call_ms": calls[0][0],
        "second_call_ms": calls[1][0],
        "time_to_first_call_ms": import_ms + client_ms + calls[0][0],
        "rss_start_kb": start_rss,
        "rss_loaded_kb": import_rss,
        "rss_first_kb": calls[0][1],
        "added_kb": calls[0][1] - start_rss,
    }


def percentile(sorted_values, p):
    if not sorted_values:
        return 0.0
    rank = max(1, min(len(sorted_values), int(p / 100.0 * len(sorted_values) + 0.999999)))
    return sorted_values[rank - 1]


def timed_calls(call: Callable[[], Any], seconds: float) -> tuple[list[float], int, float, float]:
    """Calls `call` until `seconds` have passed: (latencies in seconds of the calls that
    succeeded, failures, the start and the end on the perf_counter clock). A failure is counted,
    reported once, and the loop goes on."""
    latencies, errors = [], 0
    start = before = time.perf_counter()
    while before < start + seconds:
        try:
            call()
            failed = False
        except Exception as error:
            failed = True
            if errors == 0:
                print(f"request failed: {error!r}", file=sys.stderr)
        after = time.perf_counter()
        if failed:
            errors += 1
        else:
            latencies.append(after - before)
        before = after
    return latencies, errors, start, before


def run(args) -> dict:
    base_url = os.environ["GUMLOOP_BASE_URL"]
    shared = make(args.client, base_url) if args.client in ("ffi", "sdk") else None
    ready = threading.Barrier(args.threads + 1)
    results = []
    lock = threading.Lock()

    def worker():
        ops = shared if shared is not None else make(args.client, base_url)
        op = ops[args.workload]
        call = (lambda: op(args.session_id)) if args.workload == "retrieve" else op
        until = time.perf_counter() + args.warmup
        while time.perf_counter() < until:
            call()
        ready.wait()
        latencies, errors, _, before = timed_calls(call, args.seconds)
        with lock:
            results.append((latencies, errors, before))

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(args.threads)]
    for thread in threads:
        thread.start()
    ready.wait()
    start = time.perf_counter()
    cpu_before = time.process_time()
    for thread in threads:
        thread.join()
    cpu = time.process_time() - cpu_before
    end = max(r[2] for r in results)
    latencies = sorted(x for r in results for x in r[0])
    errors = sum(r[1] for r in results)
    seconds = end - start
    n = len(latencies)
    return {
        "label": LABELS[args.client],
        "workload": args.workload,
        "threads": args.threads,
        "requests": n,
        "errors": errors,
        "seconds": round(seconds, 4),
        "rps": round(n / seconds, 1) if seconds > 0 else 0.0,
        "p50_us": round(percentile(latencies, 50) * 1e6, 1),
        "p99_us": round(percentile(latencies, 99) * 1e6, 1),
        "mean_us": round(sum(latencies) / n * 1e6, 1) if n else 0.0,
        "cpu_s": round(cpu, 4),
        "cpu_us_per_req": round(cpu * 1e6 / n, 2) if n else 0.0,
        "max_rss_kb": status_kb("VmHWM"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--client", required=True, choices=sorted(LABELS))
    parser.add_argument(
        "--workload", required=True, choices=["create_idle", "create_input", "retrieve", "first"]
    )
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--warmup", type=float, default=0.3)
    parser.add_argument("--session-id")
    args = parser.parse_args()
    if args.workload == "first":
        result = first_call(args.client, os.environ["GUMLOOP_BASE_URL"])
    else:
        if args.workload == "retrieve" and not args.session_id:
            parser.error("--workload retrieve needs --session-id")
        result = run(args)
    print(json.dumps(result), flush=True)
    return 1 if result.get("errors") else 0


if __name__ == "__main__":
    sys.exit(main())
