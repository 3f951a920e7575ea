"""Why the blocking client has a poller per thread: 8 threads sharing one Client, each making
``retrieve`` calls, with a poller per thread (the package's way) against one poller shared by
every thread (one thread polls and hands the others what it takes). Prints calls per second and
the process's CPU time per call of each, interleaved over ``--rounds``.

    py_poller_choice.py [--threads 8] [--calls 500] [--rounds 3]

Reads GUMLOOP_BASE_URL (scripts/with-emulator.sh sets it). Not part of `make bench`'s report:
it measures a design alternative by swapping the package's private thread_poller().
"""

import argparse
import json
import statistics
import threading
import time

import gumloop_ffi
from gumloop_ffi import _engine

TOKEN, USER, AGENT = "gk_personal_ada", "user_ada", "agent_pro"


def run(client, session_id, threads, calls):
    def work():
        for _ in range(calls):
            client.sessions.retrieve(session_id)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    wall, cpu = time.perf_counter(), time.process_time()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return threads * calls / wall, cpu * 1e6 / (threads * calls)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    per_thread = _engine.thread_poller
    shared = _engine.SyncPoller()
    client = gumloop_ffi.Client(api_key=TOKEN, user_id=USER)
    session_id = client.sessions.create(AGENT).session.id
    results = {"per_thread": [], "shared": []}
    for _ in range(args.rounds):
        for name, choice in (("per_thread", per_thread), ("shared", lambda: shared)):
            _engine.thread_poller = choice
            results[name].append(run(client, session_id, args.threads, args.calls))
    _engine.thread_poller = per_thread
    client.close()
    print(json.dumps({
        name: {
            "calls_per_s": round(statistics.median(r[0] for r in rounds)),
            "cpu_us_per_call": round(statistics.median(r[1] for r in rounds), 1),
            "calls_per_s_rounds": [round(r[0]) for r in rounds],
        }
        for name, rounds in results.items()
    }))


if __name__ == "__main__":
    main()
