"""The per-call cost of gumloop_ffi's blocking client on the main thread and on another thread.

    py_percall.py [--calls N] [--rounds R] [--warmup N] [--label TEXT] [--sdk]

Creates one completed session, then times ``client.sessions.retrieve(session_id)`` in loops of
``--calls`` calls: on the main thread (what every script does) and on a worker thread (the main
thread blocked in ``join``), the two interleaved over ``--rounds`` rounds. For each loop it
takes the wall time (``time.perf_counter``) and the CPU time of the whole process
(``time.process_time``: the library's runtime threads included), the order alternating from
round to round, and prints one JSON line with
the per-call median over the rounds, in microseconds, and every round's figures. ``--sdk`` adds
the official SDK's ``gumloop.Gumloop`` on the main thread for reference.

Which gumloop_ffi is measured is the one importable (PYTHONPATH may name another copy, and
GUMLOOP_FFI_LIBRARY another library: that is how a before/after is taken in one run). Reads
GUMLOOP_BASE_URL (scripts/with-emulator.sh sets it); the credentials are the emulator's fixtures.
"""

import argparse
import json
import os
import statistics
import sys
import threading
import time
from typing import Any, Callable, Dict, List, Tuple

TOKEN, USER, AGENT = "gk_personal_ada", "user_ada", "agent_pro"


def completed_session(create: Callable[[], str], state: Callable[[str], str]) -> str:
    """A session whose run has completed, made with the client under test."""
    session_id = create()
    deadline = time.time() + 20
    while time.time() < deadline:
        if state(session_id) == "completed":
            return session_id
        time.sleep(0.05)
    raise RuntimeError(f"session {session_id} did not complete")


def timed(call: Callable[[], Any], calls: int) -> Tuple[float, float]:
    """(wall, CPU) seconds of ``calls`` calls of ``call`` on this thread."""
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(calls):
        call()
    return time.perf_counter() - wall, time.process_time() - cpu


def on_worker(call: Callable[[], Any], calls: int) -> Tuple[float, float]:
    """As :func:`timed`, on a new thread while this one waits in ``join``."""
    out: List[Tuple[float, float]] = []
    failure: List[BaseException] = []

    def run() -> None:
        try:
            out.append(timed(call, calls))
        except BaseException as error:  # reported by the caller
            failure.append(error)

    worker = threading.Thread(target=run, name="percall-worker")
    worker.start()
    worker.join()
    if failure:
        raise failure[0]
    return out[0]


def summary(rounds: List[Tuple[float, float]], calls: int) -> Dict[str, Any]:
    wall = [w * 1e6 / calls for w, _ in rounds]
    cpu = [c * 1e6 / calls for _, c in rounds]
    return {
        "wall_us": round(statistics.median(wall), 1),
        "cpu_us": round(statistics.median(cpu), 1),
        "wall_us_rounds": [round(x, 1) for x in wall],
        "cpu_us_rounds": [round(x, 1) for x in cpu],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--label", default="gumloop_ffi")
    parser.add_argument("--sdk", action="store_true", help="also the official SDK, main thread")
    args = parser.parse_args()
    base_url = os.environ["GUMLOOP_BASE_URL"]

    import gumloop_ffi

    client = gumloop_ffi.Client(api_key=TOKEN, user_id=USER, base_url=base_url)
    sessions = client.sessions
    session_id = completed_session(
        lambda: sessions.create(AGENT, "hello").session.id,
        lambda sid: sessions.retrieve(sid).session.state or "",
    )

    def call() -> Any:
        return sessions.retrieve(session_id)

    timed(call, args.warmup)
    on_worker(call, args.warmup)
    main_rounds: List[Tuple[float, float]] = []
    worker_rounds: List[Tuple[float, float]] = []
    sdk_rounds: List[Tuple[float, float]] = []
    sdk_call = None
    if args.sdk:
        import gumloop

        sdk = gumloop.Gumloop(api_key=TOKEN, user_id=USER, base_url=base_url)

        def sdk_call() -> Any:
            return sdk.sessions.retrieve(session_id)

        timed(sdk_call, args.warmup)
    for number in range(args.rounds):
        # The order alternates, so that neither side always runs first.
        if number % 2 == 0:
            main_rounds.append(timed(call, args.calls))
            worker_rounds.append(on_worker(call, args.calls))
        else:
            worker_rounds.append(on_worker(call, args.calls))
            main_rounds.append(timed(call, args.calls))
        if sdk_call is not None:
            sdk_rounds.append(timed(sdk_call, args.calls))
    client.close()
    result: Dict[str, Any] = {
        "label": args.label,
        "package": os.path.dirname(gumloop_ffi.__file__),
        "calls": args.calls,
        "rounds": args.rounds,
        "main": summary(main_rounds, args.calls),
        "worker": summary(worker_rounds, args.calls),
    }
    if sdk_rounds:
        result["sdk_main"] = summary(sdk_rounds, args.calls)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
