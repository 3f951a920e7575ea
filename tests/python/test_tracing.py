"""The caller's OpenTelemetry trace context goes with every call, without code: a span current
where a call starts gives that call's requests its ``traceparent``; a call outside any span
sends none; a ``traceparent`` the call names itself wins."""

import asyncio

from opentelemetry.sdk.trace import TracerProvider

import gumloop_ffi
from conftest import Emulator

TRACER = TracerProvider().get_tracer("gumloop-ffi tests")


def trace_id_of(header: str) -> str:
    """The trace ID field of a ``traceparent`` header."""
    return header.split("-")[1]


def test_the_current_span_is_sent_with_each_call(ada: gumloop_ffi.Client, emulator: Emulator) -> None:
    created = ada.sessions.create("agent_pro")
    emulator.clear_log()
    with TRACER.start_as_current_span("handle a request") as span:
        ada.sessions.retrieve(created.session.id)
        ada.agents.list()
    ada.sessions.retrieve(created.session.id)
    inside_one, inside_two, outside = emulator.requests()
    expected = format(span.get_span_context().trace_id, "032x")
    assert trace_id_of(inside_one["headers"]["traceparent"]) == expected
    assert trace_id_of(inside_two["headers"]["traceparent"]) == expected
    assert "traceparent" not in outside["headers"], "no span, no trace context"


def test_a_traceparent_the_call_names_wins(ada: gumloop_ffi.Client, emulator: Emulator) -> None:
    own = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    with TRACER.start_as_current_span("outer"):
        ada.sessions.create("agent_pro", extra_headers={"traceparent": own})
    (sent,) = emulator.requests()
    assert sent["headers"]["traceparent"] == own


def test_async_calls_send_their_tasks_span(emulator: Emulator) -> None:
    async def main() -> None:
        async with gumloop_ffi.AsyncClient("gk_personal_ada", user_id="user_ada") as client:

            async def traced(name: str) -> int:
                with TRACER.start_as_current_span(name) as span:
                    await client.agents.list()
                    return span.get_span_context().trace_id

            ids = await asyncio.gather(traced("a"), traced("b"))
            sent = {trace_id_of(r["headers"]["traceparent"]) for r in emulator.requests()}
            assert sent == {format(i, "032x") for i in ids}, "each task's own span"

    asyncio.run(main())
