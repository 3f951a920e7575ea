"""What a finished call's requests saw, read without touching the server's JSON: the number of
requests it sent, how long it took and the server's request ID (its ``x-request-id``).

>>> with gumloop_ffi.capture_call_info() as calls:
...     client.sessions.retrieve(session_id)
>>> calls[-1].attempts, calls[-1].request_id

Calls made inside the ``with`` block, on this thread or this asyncio task (the capture follows
the context, as ``contextvars`` do), are listed in the order they ended."""

import json
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator, List, NamedTuple, Optional


class CallInfo(NamedTuple):
    """One ended call: its operation (the library's name, e.g. ``"get_session"``), the requests
    it sent (retries included), its duration in milliseconds, and the server's request ID of its
    last answer (None when the server sent none)."""

    operation: str
    attempts: int
    duration_ms: int
    request_id: Optional[str]


#: Where the calls started in the current context report, when something captures them.
_sink: ContextVar[Optional[List[CallInfo]]] = ContextVar("gumloop_ffi_call_info", default=None)


@contextmanager
def capture_call_info() -> Iterator[List[CallInfo]]:
    """Collects the :class:`CallInfo` of every call started inside the block (nested captures
    each see their own block's calls)."""
    calls: List[CallInfo] = []
    reset = _sink.set(calls)
    try:
        yield calls
    finally:
        _sink.reset(reset)


def current_sink() -> Optional[List[CallInfo]]:
    """The list a call starting here reports to, or None."""
    return _sink.get()


def from_library(operation: str, text: Optional[str]) -> Optional[CallInfo]:
    """A :class:`CallInfo` from the library's ``{"attempts","duration_ms","request_id"}``."""
    if text is None:
        return None
    info = json.loads(text)
    request_id = info.get("request_id")
    return CallInfo(
        operation=operation,
        attempts=int(info.get("attempts", 0)),
        duration_ms=int(info.get("duration_ms", 0)),
        request_id=request_id if isinstance(request_id, str) else None,
    )
