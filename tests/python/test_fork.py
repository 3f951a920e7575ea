"""Fork safety: after the parent has made calls (so the library's runtime, its worker threads and
the connection pool exist), children made by ``multiprocessing`` in fork mode keep using the
same :class:`Client` and the one-shot call; so does the parent afterwards.

The library builds a new runtime and pool in a child; the Python layer resets its own locks and
forgets the parent's calls in flight, which would otherwise never end in the child.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.queues
import threading
import time
from typing import List, Tuple

import pytest

import gumloop_ffi
from gumloop_ffi import CancelledError, CancelToken, Client

from conftest import Emulator

CHILDREN = 3
LIVENESS_SECONDS = 120.0

Outcome = Tuple[int, str]

# Python 3.12+ warns about any fork of a process with threads (the library's runtime has some);
# forking after the library was used is exactly what these tests are about.
pytestmark = pytest.mark.filterwarnings(
    "ignore:This process .* is multi-threaded:DeprecationWarning"
)


def child_work(client: Client, index: int, close: bool) -> List[str]:
    """A child's calls; returns what went wrong (nothing on success)."""
    problems: List[str] = []
    session_id = f"sess_fork_child_{index}"
    created = client.sessions.create("agent_pro", session_id=session_id)
    if created.session.id != session_id:
        problems.append(f"create gave {created.session.id}")
    if client.sessions.retrieve(session_id).session.state != "idle":
        problems.append("retrieve: not idle")
    events = list(client.sessions.stream("agent_pro", "[words:5] from a child"))
    words = "".join(e.delta or "" for e in events if e.type == "text-delta").split()
    if len(words) != 5:
        problems.append(f"stream gave {len(words)} words")
    one_shot = gumloop_ffi.create_session("agent_pro", None, "gk_personal_ada", "user_ada")
    if one_shot.session.state != "idle":
        problems.append("one-shot create: not idle")
    if close:
        client.close()
    return problems


def run_child(
    client: Client,
    index: int,
    close: bool,
    results: "multiprocessing.queues.SimpleQueue[Outcome]",
) -> None:
    try:
        problems = child_work(client, index, close)
    except BaseException as error:  # reported to the parent
        problems = [f"{type(error).__name__}: {error}"]
    results.put((index, "; ".join(problems)))


def fork_children(client: Client, *, close: bool) -> List[Outcome]:
    context = multiprocessing.get_context("fork")
    results: "multiprocessing.queues.SimpleQueue[Outcome]" = context.SimpleQueue()
    children = [
        context.Process(target=run_child, args=(client, i, close, results)) for i in range(CHILDREN)
    ]
    for child in children:
        child.start()
    for child in children:
        child.join(LIVENESS_SECONDS)
        assert not child.is_alive(), "a child hung"
    assert [child.exitcode for child in children] == [0] * CHILDREN
    outcomes = [results.get() for _ in children]
    return sorted(outcomes)


def test_children_keep_using_the_parents_client(ada: Client, emulator: Emulator) -> None:
    # The parent has used everything first: a client call, a stream, the one-shot call.
    ada.sessions.create("agent_pro")
    assert len(list(ada.sessions.stream("agent_pro", "[words:3] parent"))) > 0
    gumloop_ffi.create_session("agent_pro", None, "gk_personal_ada", "user_ada")

    outcomes = fork_children(ada, close=False)

    assert outcomes == [(i, "") for i in range(CHILDREN)]
    # The parent's runtime and pool still work.
    assert ada.sessions.retrieve("sess_fork_child_0").session.state == "idle"
    assert len(list(ada.sessions.stream("agent_pro", "[words:3] parent again"))) > 0
    # 3 sessions of the parent before, 3 per child (create, stream, one-shot), 1 after.
    assert emulator.stats()["sessions"]["total"] == 3 + 3 * CHILDREN + 1


def test_children_may_close_the_inherited_client(ada: Client) -> None:
    ada.sessions.create("agent_pro")

    outcomes = fork_children(ada, close=True)

    assert outcomes == [(i, "") for i in range(CHILDREN)]
    assert not ada.closed
    assert ada.sessions.create("agent_pro").session.state == "idle"


def close_only(client: Client, results: "multiprocessing.queues.SimpleQueue[str]") -> None:
    try:
        client.close()
        results.put("ok" if client.closed else "not closed")
    except BaseException as error:
        results.put(f"{type(error).__name__}: {error}")


def test_children_may_free_the_client_without_using_it(ada: Client) -> None:
    """The child frees a client whose connection pool belongs to the parent."""
    ada.sessions.create("agent_pro")
    list(ada.sessions.stream("agent_pro", "[words:3] pooled"))
    context = multiprocessing.get_context("fork")
    results: "multiprocessing.queues.SimpleQueue[str]" = context.SimpleQueue()
    children = [context.Process(target=close_only, args=(ada, results)) for _ in range(CHILDREN)]
    for child in children:
        child.start()
    for child in children:
        child.join(LIVENESS_SECONDS)
    assert [child.exitcode for child in children] == [0] * CHILDREN
    assert [results.get() for _ in children] == ["ok"] * CHILDREN
    assert ada.sessions.create("agent_pro").session.state == "idle"
    assert len(list(ada.sessions.stream("agent_pro", "[words:3] still pooled"))) > 0


def test_a_fork_during_a_call_in_flight(ada: Client, emulator: Emulator) -> None:
    """Another thread of the parent is inside a call when the process forks: the child can still
    use the client, and close it (which waits for calls in flight: the parent's is not one)."""
    emulator.arm(delay_ms=60000)
    token = CancelToken()
    outcome: List[BaseException] = []

    def held_call() -> None:
        try:
            ada.sessions.create("agent_pro", cancel=token)
        except BaseException as error:
            outcome.append(error)

    in_flight = threading.Thread(target=held_call)
    in_flight.start()
    give_up = time.monotonic() + LIVENESS_SECONDS
    while not emulator.requests():
        assert time.monotonic() < give_up
        time.sleep(0.005)
    assert ada._handle._in_flight == 1

    outcomes = fork_children(ada, close=True)

    assert outcomes == [(i, "") for i in range(CHILDREN)]
    assert in_flight.is_alive(), "the parent's call was still in flight the whole time"
    token.cancel()
    in_flight.join(LIVENESS_SECONDS)
    assert not in_flight.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], CancelledError)
    token.close()


def test_a_stream_open_at_the_fork_goes_on_only_in_the_parent(ada: Client) -> None:
    stream = ada.sessions.stream("agent_pro", "[words:200] parent's stream")
    first = next(stream)
    context = multiprocessing.get_context("fork")
    results: "multiprocessing.queues.SimpleQueue[str]" = context.SimpleQueue()

    def child() -> None:
        try:
            next(stream)
            results.put("the child read the parent's stream")
        except gumloop_ffi.ClientClosedError:
            stream.close()
            results.put("ok" if stream.closed else "not closed")
        except BaseException as error:
            results.put(f"{type(error).__name__}: {error}")

    process = context.Process(target=child)
    process.start()
    process.join(LIVENESS_SECONDS)
    assert process.exitcode == 0
    assert results.get() == "ok"

    rest = list(stream)
    assert first.type == "interaction-ready"
    assert len("".join(e.delta or "" for e in rest if e.type == "text-delta").split()) == 200

