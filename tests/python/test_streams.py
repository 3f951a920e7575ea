"""Streams as generators of events: every path of the library's streaming calls (normal, failed
run, approval, dropped, stalled, resumed, long answers), closing a stream every way a consumer
can, backpressure, cancellation, and errors reaching the consumer.

Every test here ends with no stream worker thread left (the autouse fixture checks), and none
compares durations: where a test needs a stream to be slow or a request to be held, the
emulator's markers and faults make it so, and the test waits for the state it needs.
"""

from __future__ import annotations

import gc
import threading
import time
from typing import Any, Callable, Generator, Iterator, List, Tuple

import pytest

from gumloop_ffi import (
    APIConnectionError,
    CancelledError,
    CancelToken,
    Client,
    ClientClosedError,
    EventStream,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    NotFoundError,
    StreamEvent,
    StreamIncompleteError,
    StreamSummary,
)

from conftest import SESSIONS_PATH, Emulator, sent_body

LIVENESS_SECONDS = 120.0  # only so that a broken build fails instead of hanging
RESUME_PATH = "/api/v1/sessions/*"


def open_streams(client: Client) -> int:
    """The client's streams whose call is in flight (started, its end not yet taken)."""
    return len(client._handle._streams)


@pytest.fixture(autouse=True)
def no_thread_made() -> Iterator[None]:
    before = threading.active_count()
    yield
    assert threading.active_count() == before, "a stream made a thread"


def read_all(stream: EventStream) -> Tuple[List[StreamEvent], StreamSummary]:
    events = list(stream)
    assert stream.summary is not None
    assert stream.closed
    return events, stream.summary


def answer(events: List[StreamEvent]) -> str:
    return "".join(e.delta or "" for e in events if e.type == "text-delta")


def assert_each_event_once(events: List[StreamEvent]) -> None:
    cursors = [e.stream_cursor for e in events if e.stream_cursor is not None]
    assert len(cursors) == len(set(cursors)), "an event was delivered twice"


def wait_until(condition: Callable[[], bool], what: str) -> None:
    give_up = time.monotonic() + LIVENESS_SECONDS
    while not condition():
        assert time.monotonic() < give_up, f"never happened: {what}"
        time.sleep(0.005)


# --- the paths of a stream ------------------------------------------------------------------


def test_a_stream_yields_every_event_in_order_then_its_summary(
    ada: Client, emulator: Emulator
) -> None:
    stream = ada.sessions.stream("agent_pro", "[words:50] tell me")
    assert isinstance(stream, EventStream)
    assert emulator.requests() == [], "nothing is sent before the first next()"

    events, summary = read_all(stream)

    assert all(isinstance(e, StreamEvent) for e in events)
    assert events[0].type == "interaction-ready"
    assert events[0].interaction_id == stream.session_id == summary.session_id
    assert [e.type for e in events].count("text-delta") == 50
    assert len(answer(events).split()) == 50
    finals = [e for e in events if e.final]
    assert finals == [events[-1]] and events[-1].type == "finish"
    assert events[-1].finish_reason == "stop" == events[-1]["finishReason"]
    assert summary.finish_reason == "stop" and summary.final and not summary.stopped
    assert summary.events == len(events) and summary.resumes == 0
    assert summary.last_cursor == events[-1].stream_cursor == stream.last_cursor
    assert_each_event_once(events)
    (request,) = emulator.requests()
    assert request["listener"] == "stream"
    assert request["path"] == "/api/v1/agents/agent_pro/sessions"

    # The transcript holds the answer the deltas spelled out.
    assert stream.session_id is not None
    session = ada.sessions.retrieve(stream.session_id).session
    assert session.state == "completed"
    assert session.messages[-1]["content"] == answer(events)

    # An exhausted stream stays exhausted.
    assert next(stream, None) is None
    stream.close()


def test_the_summary_is_the_value_of_yield_from(ada: Client) -> None:
    seen: List[StreamEvent] = []

    def relay() -> Generator[StreamEvent, None, StreamSummary]:
        summary: StreamSummary = yield from ada.sessions.stream("agent_pro", "[words:3] hi")
        return summary

    relayed = relay()
    while True:
        try:
            seen.append(next(relayed))
        except StopIteration as stop:
            summary = stop.value
            break
    assert isinstance(summary, StreamSummary)
    assert summary.events == len(seen) and summary.finish_reason == "stop"


def test_a_failed_run_ends_with_finish_reason_error(ada: Client) -> None:
    events, summary = read_all(ada.sessions.stream("agent_pro", "[fail] this breaks"))

    assert summary.finish_reason == "error" and summary.final
    assert events[-1].finish_reason == "error"
    assert events[-1].error_message
    assert summary.session_id is not None
    assert ada.sessions.retrieve(summary.session_id).session.state == "failed"


def test_an_approval_pauses_the_run_and_a_streamed_answer_resumes_it(ada: Client) -> None:
    events, summary = read_all(ada.sessions.stream("agent_pro", "[approval] needs a yes"))

    assert summary.final
    assert summary.session_id is not None
    session = ada.sessions.retrieve(summary.session_id).session
    assert session.state == "approval_required"
    (pending,) = session.pending_approvals

    answer_stream = ada.sessions.stream_message(
        summary.session_id,
        approval_responses=[{"action_request_id": pending["action_request_id"], "action": "accept"}],
    )
    answered, answered_summary = read_all(answer_stream)
    assert answered_summary.final and answered_summary.session_id == summary.session_id
    assert answered[-1].final
    assert ada.sessions.wait(summary.session_id).session.state == "completed"


def test_stream_message_streams_the_next_run(ada: Client, emulator: Emulator) -> None:
    _, first = read_all(ada.sessions.stream("agent_pro", "[words:2] one"))
    assert first.session_id is not None

    stream = ada.sessions.stream_message(first.session_id, "[words:7] two")
    assert stream.session_id == first.session_id
    events, summary = read_all(stream)

    assert len(answer(events).split()) == 7
    assert summary.finish_reason == "stop" and summary.session_id == first.session_id
    request = emulator.requests()[-1]
    assert request["listener"] == "stream"
    assert request["path"] == f"/api/v1/sessions/{first.session_id}/messages"


@pytest.mark.parametrize(
    "marker, reason, state",
    [("[words:6]", "stop", "completed"), ("[fail]", "error", "failed"),
     ("[approval]", "stop", "approval_required")],
)
def test_stream_message_outcomes(ada: Client, marker: str, reason: str, state: str) -> None:
    session_id = ada.sessions.create("agent_pro").session.id

    events, summary = read_all(ada.sessions.stream_message(session_id, f"{marker} next"))

    assert summary.final and summary.finish_reason == reason == events[-1].finish_reason
    assert summary.session_id == session_id
    assert_each_event_once(events)
    assert ada.sessions.retrieve(session_id).session.state == state


def test_a_dropped_message_stream_resumes(ada: Client, emulator: Emulator) -> None:
    session_id = ada.sessions.create("agent_pro").session.id
    emulator.arm(method="POST", path="/api/v1/sessions/*/messages", drop_stream_after=4)

    events, summary = read_all(ada.sessions.stream_message(session_id, "[words:30] [slow:800] x"))

    assert summary.resumes >= 1 and summary.finish_reason == "stop"
    assert_each_event_once(events)
    assert len(answer(events).split()) == 30


def test_a_dropped_resume_resumes_again(ada: Client, emulator: Emulator) -> None:
    with ada.sessions.stream("agent_pro", "[words:30] [slow:1500] twice") as first:
        head = [next(first) for _ in range(3)]
    assert first.session_id is not None and first.last_cursor is not None
    emulator.arm(method="GET", path=RESUME_PATH, drop_stream_after=3)

    rest, summary = read_all(ada.sessions.resume_stream(first.session_id, first.last_cursor))

    assert summary.resumes >= 1 and summary.finish_reason == "stop"
    assert_each_event_once(head + rest)
    assert len((answer(head) + answer(rest)).split()) == 30


def test_a_dropped_stream_resumes_and_delivers_each_event_once(
    ada: Client, emulator: Emulator
) -> None:
    emulator.arm(method="POST", path=SESSIONS_PATH, times=1, drop_stream_after=5)

    events, summary = read_all(ada.sessions.stream("agent_pro", "[words:40] [slow:800] dropped"))

    assert summary.resumes >= 1
    assert summary.finish_reason == "stop" and summary.final
    assert_each_event_once(events)
    assert len(answer(events).split()) == 40
    assert [e.type for e in events].count("text-delta") == 40
    assert sum(1 for e in events if e.final) == 1
    resumes = [r for r in emulator.requests() if r["method"] == "GET"]
    assert resumes and all("last_cursor=" in r["query"] for r in resumes)


def test_a_stalled_stream_resumes_after_the_idle_timeout(emulator: Emulator) -> None:
    emulator.arm(method="POST", path=SESSIONS_PATH, times=1, stall_stream_after=4)
    with Client("gk_personal_ada", user_id="user_ada", stream_timeout=0.3) as impatient:
        events, summary = read_all(
            impatient.sessions.stream("agent_pro", "[words:20] [slow:1000] stalled")
        )

    assert summary.resumes >= 1 and summary.finish_reason == "stop"
    assert_each_event_once(events)
    assert len(answer(events).split()) == 20


def test_resuming_a_finished_run_is_not_resumable(ada: Client, emulator: Emulator) -> None:
    events, summary = read_all(ada.sessions.stream("agent_pro", "[words:5] done"))
    assert summary.session_id is not None
    first_cursor = events[0].stream_cursor
    assert first_cursor is not None

    resumed = ada.sessions.resume_stream(summary.session_id, first_cursor)
    assert resumed.session_id == summary.session_id
    assert resumed.last_cursor == first_cursor
    (only,), again = read_all(resumed)

    assert only.type == "finish" and only.final
    assert only.finish_reason == "not_resumable"
    assert again.finish_reason == "not_resumable" and again.events == 1
    request = emulator.requests()[-1]
    assert request["method"] == "GET" and request["listener"] == "stream"
    assert "stream=true" in request["query"]


def test_resuming_a_run_in_progress_replays_what_follows_the_cursor(ada: Client) -> None:
    with ada.sessions.stream("agent_pro", "[words:30] [slow:3000] long") as first:
        head = [next(first) for _ in range(4)]
        cursor = first.last_cursor
        assert cursor == head[-1].stream_cursor and cursor is not None
    assert first.summary is not None and first.summary.stopped
    assert first.summary.events == 4 and first.summary.last_cursor == cursor
    assert first.session_id is not None

    rest, summary = read_all(ada.sessions.resume_stream(first.session_id, cursor))

    assert_each_event_once(head + rest)
    assert len((answer(head) + answer(rest)).split()) == 30
    assert summary.finish_reason == "stop"


def test_ten_thousand_words_each_once(ada: Client) -> None:
    events, summary = read_all(ada.sessions.stream("agent_pro", "[words:10000] a long one"))

    assert [e.type for e in events].count("text-delta") == 10000
    assert len(answer(events).split()) == 10000
    assert_each_event_once(events)
    assert summary.events == len(events) and summary.finish_reason == "stop"


def test_backpressure_bounds_what_is_read_ahead(ada: Client) -> None:
    """Events are taken from the library only while the consumer waits for one, at most
    ``read_ahead`` at a time; the library holds the rest back."""
    capacity = EventStream.read_ahead
    with ada.sessions.stream("agent_pro", "[words:3000] a flood") as stream:
        consumed = [next(stream)]
        call = stream._state.call
        assert call is not None
        poller = stream._state.poller
        assert poller is not None
        wait_until(
            lambda: ada.sessions.retrieve(stream.session_id or "").session.state == "completed",
            "the run ended on the server",
        )
        assert len(call.events) < capacity, "nothing is taken while the consumer is away"
        most = 0
        for event in stream:
            consumed.append(event)
            most = max(most, len(call.events))
            assert poller.items_taken - len(consumed) <= capacity
    assert most == capacity - 1, "a wake takes read_ahead events, the first one read at once"
    assert len(answer(consumed).split()) == 3000


# --- closing a stream -----------------------------------------------------------------------


def test_close_midway_stops_the_worker_and_keeps_what_was_read(
    ada: Client, emulator: Emulator
) -> None:
    stream = ada.sessions.stream("agent_pro", "[words:5000] [slow:20000] long")
    first = [next(stream) for _ in range(3)]
    assert open_streams(ada) == 1

    stream.close()

    assert stream.closed and open_streams(ada) == 0
    summary = stream.summary
    assert summary is not None and summary.stopped and not summary.final
    assert summary.events == 3 and summary.last_cursor == first[-1].stream_cursor
    assert summary.finish_reason is None
    with pytest.raises(StopIteration):
        next(stream)
    stream.close()  # idempotent
    # Closing the stream does not cancel the run on the server.
    assert summary.session_id is not None
    assert ada.sessions.retrieve(summary.session_id).session.state == "processing"
    ada.sessions.cancel(summary.session_id)


def test_break_from_an_unnamed_stream_closes_it(ada: Client) -> None:
    count = 0
    for _ in ada.sessions.stream("agent_pro", "[words:5000] break early"):
        count += 1
        if count == 2:
            break
    assert count == 2 and open_streams(ada) == 0


def test_leaving_a_with_block_closes_the_stream(ada: Client) -> None:
    with ada.sessions.stream("agent_pro", "[words:5000] with block") as stream:
        for event in stream:
            if event.type == "text-delta":
                break
    assert stream.closed and open_streams(ada) == 0
    assert stream.summary is not None and stream.summary.stopped


def test_an_exception_in_the_consumer_closes_the_stream(ada: Client) -> None:
    def consume() -> None:
        for event in ada.sessions.stream("agent_pro", "[words:5000] boom"):
            if event.type == "text-delta":
                raise LookupError("the consumer failed")

    with pytest.raises(LookupError, match="the consumer failed"):
        consume()
    assert open_streams(ada) == 0


def test_a_dropped_stream_is_closed_when_collected(ada: Client) -> None:
    stream = ada.sessions.stream("agent_pro", "[words:5000] [slow:20000] forgotten")
    next(stream)
    next(stream)
    assert open_streams(ada) == 1

    del stream
    gc.collect()

    assert open_streams(ada) == 0


def test_a_stream_in_a_reference_cycle_is_closed_by_the_collector(ada: Client) -> None:
    holder: List[Any] = []
    stream = ada.sessions.stream("agent_pro", "[words:5000] cyclic")
    next(stream)
    holder.append(holder)
    holder.append(stream)
    assert open_streams(ada) == 1
    del stream, holder
    gc.collect()

    assert open_streams(ada) == 0


def test_throw_closes_the_stream_and_raises(ada: Client) -> None:
    stream = ada.sessions.stream("agent_pro", "[words:5000] thrown")
    next(stream)
    with pytest.raises(KeyError):
        stream.throw(KeyError("from the caller"))
    assert stream.closed and open_streams(ada) == 0


def test_a_stream_never_iterated_sends_nothing(ada: Client, emulator: Emulator) -> None:
    stream = ada.sessions.stream("agent_pro", "never sent")
    stream.close()
    assert stream.summary is not None and stream.summary.events == 0 and stream.summary.stopped
    del stream
    gc.collect()
    assert emulator.requests() == []


def test_close_from_another_thread_ends_a_waiting_consumer(ada: Client) -> None:
    stream = ada.sessions.stream("agent_pro", "[words:5] [slow:60000] waiting")
    next(stream)
    closer = threading.Thread(target=stream.close)
    closer.start()
    list(stream)  # waits for an event that comes only much later, unless closed
    closer.join()
    assert stream.closed and stream.summary is not None and stream.summary.stopped
    assert stream.session_id is not None
    ada.sessions.cancel(stream.session_id)


def test_the_consumer_may_call_the_client_between_events(ada: Client) -> None:
    states = []
    for event in ada.sessions.stream("agent_pro", "[words:3] [slow:1000] busy"):
        if event.type == "interaction-ready":
            assert event.interaction_id is not None
            states.append(ada.sessions.retrieve(event.interaction_id).session.state)
    assert states == ["processing"]


def test_closing_the_client_closes_its_open_streams(emulator: Emulator) -> None:
    client = Client("gk_personal_ada", user_id="user_ada")
    stream = client.sessions.stream("agent_pro", "[words:5000] [slow:20000] orphaned")
    next(stream)

    client.close()  # must not wait for the consumer, which is this thread

    with pytest.raises(ClientClosedError):
        for _ in stream:
            pass
    assert stream.summary is not None and stream.summary.stopped
    with pytest.raises(ClientClosedError):
        next(client.sessions.stream("agent_pro", "after close"))


# --- cancellation and errors ----------------------------------------------------------------


def test_a_token_cancelled_from_another_thread_ends_the_stream(ada: Client) -> None:
    token = CancelToken()
    stream = ada.sessions.stream("agent_pro", "[words:5] [slow:30000] slow", cancel=token)
    first = next(stream)
    assert first.type == "interaction-ready"

    canceller = threading.Thread(target=token.cancel)
    received: List[StreamEvent] = []
    with pytest.raises(CancelledError) as caught:
        canceller.start()  # the consumer waits for an event that would come only much later
        for event in stream:
            received.append(event)
    canceller.join()

    assert isinstance(caught.value, APIConnectionError)
    assert caught.value.kind == "GUMLOOP_ERR_CANCELLED"
    assert token.cancelled
    assert stream.closed and stream.summary is not None and not stream.summary.final
    summary = caught.value.document["error"]["stream"]
    assert isinstance(summary, dict)
    assert summary["events"] == 1 + len(received)
    token.close()


def test_a_triggered_token_ends_a_stream_before_it_sends(
    ada: Client, emulator: Emulator
) -> None:
    with CancelToken() as token:
        token.cancel()
        with pytest.raises(CancelledError):
            next(ada.sessions.stream("agent_pro", "[words:5] hi", cancel=token))
    assert emulator.requests() == []


def test_closing_a_stream_leaves_the_callers_token_untouched(ada: Client) -> None:
    with CancelToken() as token:
        with ada.sessions.stream("agent_pro", "[words:500] shared token", cancel=token) as s:
            next(s)
        assert s.summary is not None and s.summary.stopped
        assert not token.cancelled
        assert ada.sessions.create("agent_pro", cancel=token).session.state == "idle"
        assert token._calls == set()


def test_one_token_cancels_several_streams(ada: Client) -> None:
    with CancelToken() as token:
        streams = [
            ada.sessions.stream("agent_pro", "[words:5] [slow:30000] one", cancel=token),
            ada.sessions.stream("agent_pro", "[words:5] [slow:30000] two", cancel=token),
        ]
        for stream in streams:
            next(stream)
        token.cancel()
        for stream in streams:
            with pytest.raises(CancelledError):
                list(stream)


def test_errors_arrive_after_the_events_before_them(ada: Client, emulator: Emulator) -> None:
    """The stream drops after 3 events and its resume is refused: the consumer reads the 3
    events, then gets the resume's error with the summary."""
    emulator.arm(method="POST", path=SESSIONS_PATH, times=1, drop_stream_after=3)
    emulator.arm(method="GET", path=RESUME_PATH, times=1, status=404)
    stream = ada.sessions.stream("agent_pro", "[words:20] [slow:1000] doomed")
    received: List[StreamEvent] = []
    with pytest.raises(NotFoundError) as caught:
        for event in stream:
            received.append(event)

    assert len(received) == 3
    assert stream.summary is not None
    assert stream.summary.events == 3 and not stream.summary.final
    assert stream.summary.last_cursor == received[-1].stream_cursor == stream.last_cursor
    assert caught.value.status_code == 404
    assert stream.session_id is not None
    ada.sessions.cancel(stream.session_id)


def test_a_stream_that_cannot_resume_is_incomplete(ada: Client, emulator: Emulator) -> None:
    emulator.arm(method="POST", path=SESSIONS_PATH, times=1, drop_stream_after=2)
    emulator.arm(method="GET", path=RESUME_PATH, times=20, status=503)
    stream = ada.sessions.stream("agent_pro", "[words:20] [slow:1000] lost")
    with pytest.raises(StreamIncompleteError) as caught:
        list(stream)

    assert caught.value.kind == "GUMLOOP_ERR_STREAM_INCOMPLETE"
    assert caught.value.summary["events"] == 2
    assert stream.summary is not None and stream.summary.events == 2
    assert stream.last_cursor == caught.value.summary["last_cursor"]


def test_a_keyed_stream_whose_create_answer_was_lost_names_its_one_session(
    ada: Client, emulator: Emulator
) -> None:
    emulator.arm(method="POST", path=SESSIONS_PATH, times=1, reset="before_response")
    stream = ada.sessions.stream("agent_pro", "[words:5] keyed", session_id="sess_py_keyed")
    with pytest.raises(StreamIncompleteError) as caught:
        list(stream)

    # The create was repeated (a repeat cannot make a second session) and met 409.
    posts = [r for r in emulator.requests() if r["method"] == "POST"]
    assert [sent_body(r)["session_id"] for r in posts] == ["sess_py_keyed", "sess_py_keyed"]
    assert caught.value.details == {
        "session_id": "sess_py_keyed",
        "created": True,
        "may_have_created": "session",
    }
    assert caught.value.retryable is False
    assert caught.value.summary["session_id"] == "sess_py_keyed"
    assert caught.value.summary["events"] == 0
    assert ada.sessions.retrieve("sess_py_keyed").session.id == "sess_py_keyed"


def test_library_argument_errors_surface_at_the_first_next(ada: Client, emulator: Emulator) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        next(ada.sessions.resume_stream("sess_x", ""))
    assert caught.value.param == "cursor"
    with pytest.raises(InvalidArgumentError):
        next(ada.sessions.stream("agent_pro", "hi", stream=False))
    with pytest.raises(InvalidArgumentError):
        next(ada.sessions.stream_message("sess_x"))  # no input
    with pytest.raises(NotFoundError):
        next(ada.sessions.stream_message("sess_missing", "hello"))
    assert [r["path"] for r in emulator.requests()] == ["/api/v1/sessions/sess_missing/messages"]


def test_python_argument_errors_are_raised_at_the_call(ada: Client) -> None:
    with pytest.raises(InvalidArgumentTypeError):
        ada.sessions.stream("agent_pro", 42)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentTypeError):
        ada.sessions.stream("agent_pro", "hi", cancel="now")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentTypeError) as caught:
        ada.sessions.stream("agent_pro", "hi", on_event=print)
    assert "iterate" in str(caught.value)
    with pytest.raises(InvalidArgumentError):
        ada.sessions.resume_stream("sess\x00x", "c")


def test_a_stream_of_a_closed_token_is_refused(ada: Client) -> None:
    token = CancelToken()
    stream = ada.sessions.stream("agent_pro", "hi", cancel=token)
    token.close()
    with pytest.raises(ClientClosedError):
        next(stream)
    assert stream.closed


# --- cancellation tokens with ordinary calls ------------------------------------------------


def test_a_triggered_token_ends_a_call_in_flight(ada: Client, emulator: Emulator) -> None:
    emulator.arm(delay_ms=30000)
    with CancelToken() as token:
        outcome: List[BaseException] = []

        def call() -> None:
            try:
                ada.sessions.create("agent_pro", cancel=token)
            except BaseException as error:
                outcome.append(error)

        worker = threading.Thread(target=call)
        worker.start()
        wait_until(lambda: bool(emulator.requests()), "the request arrived")
        assert not token.cancelled
        token.cancel()
        worker.join(LIVENESS_SECONDS)
        assert token.cancelled
    assert len(outcome) == 1 and isinstance(outcome[0], CancelledError)
    assert outcome[0].kind == "GUMLOOP_ERR_CANCELLED"
    with pytest.raises(ClientClosedError):
        token.cancel()


def test_cancel_must_be_a_token(ada: Client, emulator: Emulator) -> None:
    with pytest.raises(InvalidArgumentTypeError):
        ada.sessions.create("agent_pro", cancel="now")  # type: ignore[arg-type]
    assert emulator.requests() == []
