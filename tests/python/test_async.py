"""AsyncClient: every method awaited on one event loop, the blocking client's exceptions,
cancellation at every stage (before the request is sent, while it waits for the answer, in the
middle of a stream) closing the connection, 1,000 streams at once on one thread, and a stream
abandoned mid-way.

Nothing here compares durations: concurrency and non-blocking are shown by counting and
ordering (a ticker task the loop runs between events, threads counted before and after), and a
test that needs a call to be held uses the emulator's slow markers and delay faults, then waits
for the state it needs.
"""

from __future__ import annotations

import asyncio
import gc
import os
from typing import Awaitable, Callable, Dict, List, Optional, Tuple, TypeVar

import pytest

from gumloop_ffi import (
    AsyncClient,
    AsyncEventStream,
    ClientClosedError,
    ConflictError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    NotFoundError,
    StreamEvent,
)

from conftest import Emulator

LIVENESS_SECONDS = 120.0  # only so that a broken build fails instead of hanging
SLOW = "[words:50] [slow:60000] a stream that outlives the test"

_T = TypeVar("_T")


def run(make: Callable[[AsyncClient], Awaitable[_T]]) -> _T:
    """Runs ``make(client)`` on a fresh event loop with Ada's async client."""

    async def main() -> _T:
        async with AsyncClient("gk_personal_ada", user_id="user_ada") as client:
            return await asyncio.wait_for(make(client), LIVENESS_SECONDS)

    return asyncio.run(main())


def os_threads() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    raise AssertionError("no Threads line")


def sequence(event: StreamEvent) -> int:
    """The sequence number of an event's ``stream_cursor`` (``<session>:<n>``)."""
    cursor = event.stream_cursor
    assert cursor is not None
    return int(cursor.rsplit(":", 1)[1])


async def until(check: Callable[[], bool]) -> None:
    """Waits (yielding to the loop) until ``check()`` holds."""
    while not check():
        await asyncio.sleep(0.02)


def test_every_method_answers(emulator: Emulator) -> None:
    async def scenario(client: AsyncClient) -> None:
        created = await client.sessions.create("agent_pro", session_id="sess_async_1", name="one")
        assert created.session.id == "sess_async_1"
        fetched = await client.sessions.retrieve("sess_async_1")
        assert fetched.session.name == "one"
        renamed = await client.sessions.rename("sess_async_1", "two")
        assert renamed.session.name == "two"
        page = await client.sessions.list("agent_pro", page_size=1)
        assert [s.id for s in page.sessions] == ["sess_async_1"]
        await client.sessions.create("agent_pro", session_id="sess_async_2")
        ids = [s.id async for s in client.sessions.list_all("agent_pro", page_size=1)]
        assert sorted(ids) == ["sess_async_1", "sess_async_2"]
        sent = await client.sessions.send("sess_async_1", "[slow:50] hello")
        assert sent.session.id == "sess_async_1"
        settled = await client.sessions.wait("sess_async_1", poll_interval=0.01)
        assert settled.session.state == "completed"
        receipt = await client.sessions.send("sess_async_1", "later", delivery="queued")
        assert receipt.message_id
        cancelled = await client.sessions.cancel("sess_async_2")
        assert cancelled.session.id == "sess_async_2"

        stream = client.sessions.stream("agent_pro", "[words:30] tell me")
        events = [event async for event in stream]
        deltas = [e for e in events if e.type == "text-delta"]
        assert len(deltas) == 30
        assert [sequence(e) for e in events] == list(range(sequence(events[0]), sequence(events[0]) + len(events)))
        assert stream.summary is not None and stream.summary.finish_reason == "stop"
        assert stream.summary.events == len(events) and stream.closed
        session_id = stream.session_id
        assert session_id is not None

        async with client.sessions.stream_message(session_id, "[words:3] again") as more:
            assert len([e async for e in more if e.type == "text-delta"]) == 3
        replay = client.sessions.resume_stream(session_id, events[2].stream_cursor or "")
        replayed = [e async for e in replay]
        assert replay.summary is not None and replay.summary.final
        assert replayed[-1].type == "finish"
        assert client.in_flight == 0

    run(scenario)


def test_errors_are_the_blocking_clients(emulator: Emulator) -> None:
    async def scenario(client: AsyncClient) -> None:
        with pytest.raises(NotFoundError):
            await client.sessions.retrieve("sess_nobody")
        await client.sessions.create("agent_pro", session_id="sess_twice")
        with pytest.raises(ConflictError):
            await client.sessions.create("agent_pro", session_id="sess_twice")
        emulator.clear_log()
        # Refused before anything is sent: by the Python checks, and by the library's.
        with pytest.raises(InvalidArgumentTypeError) as wrong_type:
            await client.sessions.create("agent_pro", metadata=[1])  # type: ignore[arg-type]
        assert wrong_type.value.param == "metadata"
        with pytest.raises(InvalidArgumentError) as blank:
            await client.sessions.create("agent_pro", name="  ")
        assert blank.value.param == "name"
        stream = client.sessions.stream("agent_pro", "hi", stream=False)
        with pytest.raises(InvalidArgumentError) as refused:
            await stream.__anext__()
        assert refused.value.param == "stream" and stream.closed
        assert emulator.requests() == []

    run(scenario)

    async def closed() -> None:
        client = AsyncClient("gk_personal_ada", user_id="user_ada")
        await client.aclose()
        with pytest.raises(ClientClosedError):
            await client.sessions.retrieve("sess_x")

    asyncio.run(closed())


def test_cancelled_before_sending_sends_nothing(emulator: Emulator) -> None:
    async def scenario(client: AsyncClient) -> None:
        task = asyncio.ensure_future(client.sessions.create("agent_pro", session_id="sess_never"))
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # A request made afterwards is the only one the server saw.
        await client.sessions.create("agent_pro", session_id="sess_after")
        assert [r["path"] for r in emulator.requests()] == ["/api/v1/agents/agent_pro/sessions"]
        assert client.in_flight == 0

    run(scenario)


def test_cancelled_while_waiting_closes_the_connection(emulator: Emulator) -> None:
    async def scenario(client: AsyncClient) -> None:
        await client.sessions.create("agent_pro", session_id="sess_held")
        emulator.clear_log()
        emulator.arm(method="GET", path="/api/v1/sessions/*", delay_ms=600_000)
        baseline = emulator.stats()["connections"]["open"]
        task = asyncio.ensure_future(client.sessions.retrieve("sess_held"))
        await until(lambda: len(emulator.requests()) == 1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # The held request's connection is closed, not left waiting for the answer.
        await until(lambda: emulator.stats()["connections"]["open"] <= baseline)
        await until(lambda: client.in_flight == 0)

    run(scenario)


def test_cancelled_mid_stream_closes_the_connection(emulator: Emulator) -> None:
    async def scenario(client: AsyncClient) -> None:
        seen: List[StreamEvent] = []
        first = asyncio.Event()
        stream = client.sessions.stream("agent_pro", SLOW)

        async def consume() -> None:
            async for event in stream:
                seen.append(event)
                first.set()

        task = asyncio.ensure_future(consume())
        await first.wait()
        during = emulator.stats()["connections"]["open"]
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert stream.closed and stream.summary is not None and stream.summary.stopped
        assert stream.summary.events == len(seen) >= 1
        await until(lambda: emulator.stats()["connections"]["open"] < during)
        await until(lambda: client.in_flight == 0)

    run(scenario)


def test_an_abandoned_stream_is_cancelled_and_its_connection_closed(emulator: Emulator) -> None:
    async def scenario(client: AsyncClient) -> None:
        stream: Optional[AsyncEventStream] = client.sessions.stream("agent_pro", SLOW)
        assert stream is not None
        first = await stream.__anext__()
        assert first.type is not None
        during = emulator.stats()["connections"]["open"]
        assert client.in_flight == 1
        stream = None  # dropped mid-way, never closed
        gc.collect()
        await until(lambda: client.in_flight == 0)
        await until(lambda: emulator.stats()["connections"]["open"] < during)

    run(scenario)


def test_a_thousand_streams_on_one_thread(emulator: Emulator) -> None:
    streams = 1000
    words = 5

    async def scenario(client: AsyncClient) -> Tuple[int, int, int, int]:
        await client.sessions.create("agent_pro")  # the library's runtime is started
        threads_before = os_threads()
        threads_during = 0
        most_in_flight = 0
        busy_turns = 0
        running = True

        async def ticker() -> None:
            # Runs at every turn of the loop: counts the turns taken while calls were in flight.
            nonlocal most_in_flight, busy_turns, threads_during
            while running:
                in_flight = client.in_flight
                if in_flight:
                    busy_turns += 1
                    if in_flight > most_in_flight:
                        most_in_flight = in_flight
                        threads_during = os_threads()
                await asyncio.sleep(0)

        async def one(index: int) -> None:
            # The enterprise agent queues runs over its team's limit (100) instead of refusing.
            stream = client.sessions.stream("agent_ent", f"[words:{words}] [slow:200] n{index}")
            numbers = [sequence(event) async for event in stream]
            # Each event once, in order, the whole answer, then the final event.
            assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
            assert stream.summary is not None and stream.summary.final
            assert stream.summary.events == len(numbers) >= words + 2

        tick_task = asyncio.ensure_future(ticker())
        await asyncio.gather(*(one(i) for i in range(streams)))
        running = False
        await tick_task
        return most_in_flight, busy_turns, threads_before, threads_during

    most_in_flight, busy_turns, before, during = run(scenario)
    # Every stream was in flight at once, started from this one thread...
    assert most_in_flight == streams
    # ...while the loop kept turning (it never waited inside a call)...
    assert busy_turns > 1
    # ...and no thread was made for them: as many OS threads with all in flight as before.
    assert during <= before


def test_a_forked_child_keeps_using_the_client(emulator: Emulator) -> None:
    client = AsyncClient("gk_personal_ada", user_id="user_ada")

    async def parent() -> None:
        await client.sessions.create("agent_pro", session_id="sess_parent")

    async def child() -> None:
        made = await client.sessions.create("agent_pro", session_id="sess_child")
        assert made.session.id == "sess_child"
        events = [e async for e in client.sessions.stream("agent_pro", "[words:2] x")]
        assert events[-1].final

    asyncio.run(parent())
    pid = os.fork()
    if pid == 0:  # the child: its own event loop, the same client
        code = 1
        try:
            asyncio.run(child())
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    asyncio.run(parent_again(client))
    client.close()
    assert status == 0
    assert emulator.stats()["sessions"]["total"] == 4  # the child's stream made one too


async def parent_again(client: AsyncClient) -> None:
    made = await client.sessions.create("agent_pro", session_id="sess_parent_2")
    assert made.session.id == "sess_parent_2"
