"""Streaming with a Python callback, and cancellation tokens."""

from __future__ import annotations

import threading
import time
from typing import List, Optional

import pytest

from gumloop_ffi import (
    APIConnectionError,
    CancelledError,
    CancelToken,
    Client,
    ClientClosedError,
    GumloopObject,
    InvalidArgumentError,
    InvalidArgumentTypeError,
)
from gumloop_ffi import _callbacks

from conftest import Emulator

LIVENESS_SECONDS = 120.0


def test_stream_delivers_every_event_in_order(ada: Client, emulator: Emulator) -> None:
    events: List[GumloopObject] = []
    summary = ada.sessions.stream("agent_pro", "[words:5] hello", on_event=events.append)

    types = [e.type for e in events]
    assert types[0] == "interaction-ready"
    assert types.count("text-delta") == 5
    assert types[-1] == "finish" and events[-1].final is True
    assert summary.finish_reason == "stop"
    assert summary.events == len(events)
    assert summary.last_cursor == events[-1].stream_cursor
    assert _callbacks.active_scopes() == 0
    (request,) = emulator.requests()
    assert request["listener"] == "stream"


def test_returning_true_stops_the_stream(ada: Client) -> None:
    seen: List[str] = []

    def first_two(event: GumloopObject) -> Optional[bool]:
        seen.append(event.type)
        return len(seen) == 2

    summary = ada.sessions.stream("agent_pro", "[words:20] hi", on_event=first_two)
    assert len(seen) == 2
    assert summary.get("stopped") is True


def test_an_exception_in_on_event_propagates(ada: Client) -> None:
    calls = 0

    def explode(event: GumloopObject) -> None:
        nonlocal calls
        calls += 1
        raise LookupError("handler failed")

    with pytest.raises(LookupError, match="handler failed"):
        ada.sessions.stream("agent_pro", "[words:10] hi", on_event=explode)
    assert calls == 1
    assert _callbacks.active_scopes() == 0


def test_closing_the_client_inside_its_own_callback_is_refused(ada: Client) -> None:
    def close_now(event: GumloopObject) -> None:
        ada.close()

    with pytest.raises(InvalidArgumentError) as caught:
        ada.sessions.stream("agent_pro", "hi", on_event=close_now)
    assert caught.value.kind == "GUMLOOP_ERR_WRONG_THREAD"
    assert not ada.closed
    ada.sessions.create("agent_pro")  # still usable


def test_on_event_must_be_callable(ada: Client, emulator: Emulator) -> None:
    with pytest.raises(InvalidArgumentTypeError):
        ada.sessions.stream("agent_pro", "hi", on_event=None)  # type: ignore[arg-type]
    assert emulator.requests() == []


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
        give_up = time.monotonic() + LIVENESS_SECONDS
        while not emulator.requests() and time.monotonic() < give_up:
            time.sleep(0.005)
        assert not token.cancelled
        token.cancel()
        worker.join(LIVENESS_SECONDS)
        assert token.cancelled
    assert len(outcome) == 1 and isinstance(outcome[0], CancelledError)
    assert isinstance(outcome[0], APIConnectionError)
    assert outcome[0].kind == "GUMLOOP_ERR_CANCELLED"


def test_a_token_stops_a_stream(ada: Client) -> None:
    token = CancelToken()

    def cancel_at_first_event(event: GumloopObject) -> None:
        token.cancel()

    with pytest.raises(CancelledError):
        ada.sessions.stream(
            "agent_pro", "[words:50] [slow:2000] hi", on_event=cancel_at_first_event, cancel=token
        )
    token.close()
    with pytest.raises(ClientClosedError):
        token.cancel()


def test_cancel_must_be_a_token(ada: Client, emulator: Emulator) -> None:
    with pytest.raises(InvalidArgumentTypeError):
        ada.sessions.create("agent_pro", cancel="now")  # type: ignore[arg-type]
    assert emulator.requests() == []
