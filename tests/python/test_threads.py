"""Threads: calls release the GIL and overlap; close is safe against calls in flight.

No assertion here compares durations (timings belong in benchmarks). Concurrency is shown by
order of events instead: the emulator holds every request for a while after logging it, and the
test observes all of them logged while none has returned yet. Calls that ran one after another
(or held the GIL) could never be seen in that state.
"""

from __future__ import annotations

import gc
import threading
import time
from typing import List, Optional

import pytest

import gumloop_ffi
from gumloop_ffi import Client, ClientClosedError, SessionResponse

from conftest import Emulator

THREADS = 8
HOLD_MS = 5000  # how long the emulator holds each request after logging it
LIVENESS_SECONDS = 120.0  # only so that a broken build fails instead of hanging


def posts(emulator: Emulator) -> int:
    return sum(1 for r in emulator.requests() if r["method"] == "POST")


def test_eight_threads_are_in_flight_at_once(ada: Client, emulator: Emulator) -> None:
    emulator.arm(times=THREADS, delay_ms=HOLD_MS)
    start = threading.Barrier(THREADS + 1)
    returned: List[int] = []
    results: List[Optional[SessionResponse]] = [None] * THREADS
    errors: List[BaseException] = []

    def worker(i: int) -> None:
        start.wait()
        try:
            results[i] = ada.sessions.create("agent_pro", session_id=f"sess_thread_{i}")
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            returned.append(i)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    start.wait()

    # The main thread keeps running Python (it needs the GIL) while the workers are in C.
    returned_when_all_arrived: Optional[List[int]] = None
    give_up = time.monotonic() + LIVENESS_SECONDS
    while time.monotonic() < give_up:
        if posts(emulator) == THREADS:
            returned_when_all_arrived = list(returned)
            break
        time.sleep(0.005)
    for thread in threads:
        thread.join(LIVENESS_SECONDS)

    assert errors == []
    assert returned_when_all_arrived == [], (
        "the emulator saw all requests only after some calls had returned: "
        f"{returned_when_all_arrived}"
    )
    logged = [r for r in emulator.requests() if r["method"] == "POST"]
    assert len(logged) == THREADS
    assert all(r["fault"] for r in logged), "every request was held by the delay fault"
    assert sorted(r.session.id for r in results if r is not None) == sorted(
        f"sess_thread_{i}" for i in range(THREADS)
    )


def test_close_waits_for_calls_in_flight(emulator: Emulator) -> None:
    emulator.arm(delay_ms=1500)
    client = Client("gt_oauth_ada")
    outcome: List[object] = []

    def call() -> None:
        outcome.append(client.sessions.create("agent_pro"))

    worker = threading.Thread(target=call)
    worker.start()
    give_up = time.monotonic() + LIVENESS_SECONDS
    while posts(emulator) < 1 and time.monotonic() < give_up:
        time.sleep(0.005)
    assert posts(emulator) == 1, "the call reached the emulator"

    client.close()  # returns only once the call above has finished with the handle
    assert len(outcome) == 1 and isinstance(outcome[0], SessionResponse)
    worker.join()
    with pytest.raises(ClientClosedError):
        client.sessions.create("agent_pro")


def test_close_from_many_threads_at_once() -> None:
    client = Client("gt_oauth_ada")
    client.sessions.create("agent_pro")
    closers = [threading.Thread(target=client.close) for _ in range(THREADS)]
    for thread in closers:
        thread.start()
    for thread in closers:
        thread.join()
    assert client.closed


def test_shared_client_many_calls(ada: Client, emulator: Emulator) -> None:
    per_thread = 10
    failures: List[BaseException] = []

    def work(t: int) -> None:
        try:
            for i in range(per_thread):
                ada.sessions.create("agent_pro", session_id=f"sess_{t}_{i}")
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert emulator.stats()["sessions"]["total"] == THREADS * per_thread


def test_a_collected_client_frees_its_handle() -> None:
    client = Client("gt_oauth_ada")
    finalizer = client._handle._finalizer
    assert finalizer.alive
    del client
    gc.collect()
    assert not finalizer.alive


def test_close_frees_the_handle_once() -> None:
    client = Client("gt_oauth_ada")
    finalizer = client._handle._finalizer
    with client:
        pass
    assert not finalizer.alive
    client.close()


def test_one_shot_calls_from_threads(emulator: Emulator) -> None:
    failures: List[BaseException] = []

    def work(i: int) -> None:
        try:
            gumloop_ffi.create_session("agent_pro", {"session_id": f"sess_one_{i}"}, "gt_oauth_ada")
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert posts(emulator) == THREADS
