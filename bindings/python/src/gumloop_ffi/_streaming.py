"""Event streams over the poller: :class:`EventStream` (a generator, for
:class:`~gumloop_ffi.Client`) and :class:`AsyncEventStream` (an async iterator, for
:class:`~gumloop_ffi.AsyncClient`), and what both show of a stream (:class:`StreamView`).

A stream is one call of the poller (``stream_session``, ``stream_message``, ``resume_stream``)
whose events arrive as items before its end. :class:`EventStream` has a poller of its own, and
takes its items only while its consumer waits in ``next()``: what the library has not handed
over waits there, under its 1 MiB budget per stream (beyond which it stops reading the
connection), and it takes at most :attr:`EventStream.read_ahead` events at a time, so a slow
consumer holds the stream back instead of filling memory. No thread is
made for a stream.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from typing import Any, Callable, Generator, Optional, Tuple

from ._engine import (
    Outcome,
    PendingCall,
    SyncPoller,
    annotate_interrupt,
    cancelled_before_start,
)
from ._errors import ClientClosedError, GumloopError, error_from_call, python_error
from ._handles import CancelToken, _Handle, check_token
from ._native import OK
from ._requests import Request
from ._types import GumloopObject, StreamEvent, StreamSummary, loads, parse_object


class StreamView:
    """What the consumer of a stream has seen: the events it was given, the session, the last
    cursor, and the summary; shared by :class:`EventStream` and the asyncio client's stream."""

    def __init__(self, session_id: Optional[str], cursor: Optional[str]) -> None:
        self._events = 0
        self._saw_final = False
        self._session_id = session_id
        self._last_cursor = cursor
        #: The summary, once the stream has ended (finished, failed or closed); else None.
        self.summary: Optional[StreamSummary] = None

    @property
    def session_id(self) -> Optional[str]:
        """The session streamed: known from the start for ``stream_message`` and
        ``resume_stream``, from the first event (``interaction_id``) for ``stream``."""
        return self._session_id

    @property
    def last_cursor(self) -> Optional[str]:
        """The ``stream_cursor`` of the last event yielded: ``resume_stream`` from it."""
        return self._last_cursor

    def _parse_event(self, item: bytes) -> StreamEvent:
        """The event ``item``, counted as given to the consumer; raises InvalidResponseError."""
        try:
            value = loads(item.decode("utf-8", "replace"))
            if not isinstance(value, GumloopObject):
                raise ValueError("the event is not a JSON object")
        except ValueError as error:
            raise _invalid_event(item, error) from None
        event = StreamEvent(value)
        self._events += 1
        cursor = event.stream_cursor
        if cursor is not None:
            self._last_cursor = cursor
        if event.interaction_id is not None:
            self._session_id = event.interaction_id
        if event.final and event.type == "finish":
            self._saw_final = True
        return event

    def _outcome(self, code: int, text: Optional[str]) -> StreamSummary:
        """Sets :attr:`summary` from the call's outcome and returns it, or raises its error."""
        if code != OK:
            error = error_from_call(code, text)
            summary = _error_summary(text)
            # The library puts the stream's summary under the error document's `stream` key.
            if summary is not None and "events" in summary:
                self.summary = self._with_consumer_view(summary)
            else:
                self.summary = self._consumer_summary()
            raise error
        self.summary = self._with_consumer_view(_summary(text))
        return self.summary

    def _with_consumer_view(self, summary: StreamSummary) -> StreamSummary:
        if summary.get("session_id") is None and self._session_id is not None:
            summary["session_id"] = self._session_id
        return summary

    def _closed_summary_of(self, result: Optional[Outcome]) -> StreamSummary:
        """The summary of a stream closed by its consumer: the library's (from ``result``, the
        call's outcome if it had one), reduced to what the consumer got when events were left
        unread."""
        summary = StreamSummary()
        if result is not None:
            code, text = result
            found = _summary(text) if code == OK else _error_summary(text)
            summary = found if found is not None else summary
        summary = self._with_consumer_view(summary)
        if not self._saw_final:
            resumes = summary.resumes
            summary = self._consumer_summary()
            summary["resumes"] = resumes
            summary["stopped"] = True
        return summary

    def _consumer_summary(self) -> StreamSummary:
        """A summary of what the consumer got, for a stream that did not finish."""
        return StreamSummary(
            {
                "session_id": self._session_id,
                "last_cursor": self._last_cursor,
                "finish_reason": None,
                "final": False,
                "events": self._events,
                "resumes": 0,
            }
        )


class _StreamState:
    """What an open :class:`EventStream` holds: its poller and call. The client's handle tracks
    it (to stop it on close) and the stream's finalizer uses it, so it never refers to the
    :class:`EventStream` itself, which can then be collected (and so closed) when dropped."""

    def __init__(self, handle: _Handle, request: Request, token: Optional[CancelToken]) -> None:
        self.handle = handle
        self.request = request
        self.token = token
        self.lock = threading.Lock()
        self.poller: Optional[SyncPoller] = None
        self.call: Optional[PendingCall] = None
        #: The outcome of a stream that ended without a call (its token was triggered first).
        self.early: Optional[Outcome] = None
        #: Closed by the consumer, or aborted (then with ``abort_error``).
        self.stopped = False
        self.abort_error: Optional[BaseException] = None
        self.tracked = False

    @property
    def started(self) -> bool:
        return self.call is not None or self.early is not None

    def start(self) -> None:
        """Starts the call on a poller of its own. Raises (having started nothing) when the
        client is closed or the library refuses the arguments."""
        with self.lock:
            if self.stopped or self.started:
                return
            check_token(self.token)
            self.handle.track(self)
            try:
                if self.token is not None and self.token.cancelled:
                    self.early = cancelled_before_start()
                    self.handle.untrack(self)
                    return
                poller = SyncPoller(max_take=EventStream.read_ahead)
                with self.handle.use() as client:
                    call = poller.start(client, self.request)
            except BaseException:
                self.handle.untrack(self)
                raise
            self.poller, self.call, self.tracked = poller, call, True
            if self.token is not None:
                self.token._attach(call)

    def abort(self, error: Optional[BaseException] = None) -> None:
        """Stops the stream: its call is cancelled. ``error`` (None for a close by the consumer)
        is what the consumer gets. Safe from any thread."""
        with self.lock:
            if not self.stopped:
                self.stopped = True
                self.abort_error = error
            call = self.call
        if call is not None:
            call.cancel()
            call.events.clear()

    def join(self) -> None:
        """Waits until the call's end has been taken (a cancelled call ends at once)."""
        call, poller = self.call, self.poller
        if call is not None and poller is not None:
            poller.wait_end(call)
        self.finished()

    def finished(self) -> None:
        """The call has ended: the client and the token no longer need to know of it."""
        with self.lock:
            tracked, self.tracked = self.tracked, False
        if tracked:
            self.handle.untrack(self)
            if self.token is not None and self.call is not None:
                self.token._detach(self.call)

    def outcome(self) -> Optional[Outcome]:
        if self.early is not None:
            return self.early
        call = self.call
        return None if call is None else call.result


def _finalize(state: _StreamState) -> None:
    """Closes a stream whose :class:`EventStream` was collected: cancels its call and frees its
    poller (which no thread can be waiting on: nothing refers to the stream)."""
    state.abort(None)
    poller = state.poller
    if poller is not None and poller.usable:
        poller.close(ClientClosedError("the stream was collected"))
    state.finished()


class EventStream(StreamView, Generator[StreamEvent, None, StreamSummary]):
    """The events of one streaming call, as a generator.

    Iterate it (``for event in stream``) to get each :class:`~gumloop_ffi.StreamEvent` once, in
    order, across the library's automatic resumes. Nothing is sent before the first ``next()``.
    When the final event has been read, iteration stops; the stream's summary is then
    :attr:`summary` and also the ``StopIteration`` value (``summary = yield from stream``).
    An error of the call (:class:`~gumloop_ffi.StreamIncompleteError`, an
    :class:`~gumloop_ffi.APIStatusError`, :class:`~gumloop_ffi.CancelledError`, ...) is raised
    by ``next()`` once the events before it have been read; its error document's ``stream``
    key holds the library's summary when there is one, and :attr:`summary` is set too.

    Close it to stop early: ``close()``, leaving a ``with`` block, ``break`` out of a ``for``
    over an unnamed stream, an exception out of such a loop, or dropping the last reference all
    cancel the call. The server-side run goes on (use ``sessions.cancel`` to stop it);
    :attr:`last_cursor` is where to resume from. The summary of a closed stream counts the
    events this iterator yielded and has ``stopped`` set.

    A stream is consumed by one thread at a time; ``close()`` may come from any thread. The
    consumer may make other calls with the same client between events. Ctrl-C while it waits in
    ``next()`` closes the stream and raises ``KeyboardInterrupt``. Closing the client closes its
    open streams: their next ``next()`` raises :class:`~gumloop_ffi.ClientClosedError`.
    """

    #: How many events the stream takes from the library ahead of its consumer, at most; the
    #: library holds the rest back (up to 1 MiB, then it stops reading the connection).
    read_ahead = 64

    def __init__(
        self,
        handle: _Handle,
        request: Request,
        cancel: Optional[CancelToken],
        *,
        session_id: Optional[str] = None,
        cursor: Optional[str] = None,
    ) -> None:
        super().__init__(session_id, cursor)
        self._state = _StreamState(handle, request, cancel)
        self._finalizer = weakref.finalize(self, _finalize, self._state)
        self._finalizer.atexit = False
        self._ended = False

    @property
    def closed(self) -> bool:
        """True once the stream has ended: finished, failed or closed."""
        return self._ended

    # --- the generator protocol ---------------------------------------------------------------

    def __iter__(self) -> Generator[StreamEvent, None, StreamSummary]:
        # Typed as the Generator (not EventStream) so that type checkers see the summary as
        # the value of `yield from stream`.
        return self

    def __next__(self) -> StreamEvent:
        if self._ended:
            raise StopIteration
        state = self._state
        if not state.started and not state.stopped:
            try:
                state.start()
            except BaseException:
                self._end()
                raise
        call, poller = state.call, state.poller
        if call is None or poller is None or state.stopped:
            return self._finish()
        if not poller.usable:
            self._end()
            raise ClientClosedError(
                "this stream was open when the process forked; it goes on only in the parent",
                {"error": {"kind": "GUMLOOP_STREAM_FORKED", "gumloop_code": None}},
            )
        try:
            poller.wait(call)
        except KeyboardInterrupt as interrupt:
            self.close()
            annotate_interrupt(interrupt, state.outcome())
            raise
        if call.events and not state.stopped:
            return self._event(call.events.popleft())
        return self._finish()

    def send(self, value: None) -> StreamEvent:
        """Same as ``next()``: a stream takes no values from its consumer."""
        return self.__next__()

    def throw(self, typ: Any, val: Any = None, tb: Any = None) -> StreamEvent:
        """Closes the stream, then raises the exception, as a generator that does not catch it."""
        self.close()
        if isinstance(typ, BaseException):
            error = typ
        elif isinstance(val, BaseException):
            error = val
        else:
            error = typ() if val is None else typ(val)
        if tb is not None:
            error = error.with_traceback(tb)
        raise error

    def close(self) -> None:
        """Stops the stream: cancels its call and takes its end. Idempotent; safe from any
        thread. The summary of a stream closed before its end has ``stopped`` set."""
        if self._ended:
            return
        state = self._state
        self._finalizer.detach()
        state.abort(None)
        if state.poller is not None and state.poller.usable:
            state.join()
        else:
            state.finished()
        self._ended = True
        self.summary = self._closed_summary_of(state.outcome())

    def __enter__(self) -> "EventStream":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        status = "closed" if self._ended else "open"
        return f"<gumloop_ffi.EventStream {status} session_id={self._session_id!r}>"

    # --- internals ----------------------------------------------------------------------------

    def _end(self) -> None:
        self._ended = True
        self._finalizer.detach()

    def _event(self, item: bytes) -> StreamEvent:
        try:
            return self._parse_event(item)
        except GumloopError:
            self.close()
            raise

    def _finish(self) -> StreamEvent:
        """The call has ended (or was stopped) and every event was read: stop, or raise."""
        state = self._state
        if state.stopped:
            state.join()
        else:
            state.finished()
        self._end()
        state.handle.after_call()
        if state.stopped:
            self.summary = self._closed_summary_of(state.outcome())
            if state.abort_error is not None:
                raise state.abort_error
            raise StopIteration(self.summary)
        call = state.call
        if call is not None and call.failure is not None:
            self.summary = self._consumer_summary()
            raise call.failure
        code, text = state.outcome() or (OK, None)
        raise StopIteration(self._outcome(code, text))


class AsyncEventStream(StreamView):
    """The events of one streaming call, as an async iterator:
    ``async for event in client.sessions.stream(...)``.

    Each :class:`~gumloop_ffi.StreamEvent` comes once, in order, across the library's automatic
    resumes. Nothing is sent before the first ``__anext__``. When the final event has been read,
    iteration stops and :attr:`summary` holds the stream's summary; an error of the call is
    raised once the events before it have been read (with :attr:`summary` set), as by
    :class:`~gumloop_ffi.EventStream`.

    Stop early with :meth:`aclose` (or leave an ``async with`` block): the call is cancelled and
    its connection closed at once, and the summary has ``stopped`` set. Cancelling the task
    that waits for the next event does the same. A stream dropped without closing is cancelled
    when it is garbage-collected. Events taken from the library but not yet read wait in this
    stream: read them, or close it.
    """

    def __init__(
        self,
        client: Any,
        request: Request,
        *,
        session_id: Optional[str] = None,
        cursor: Optional[str] = None,
    ) -> None:
        super().__init__(session_id, cursor)
        #: The AsyncClient: ``client._start(request)`` starts the call on the loop's poller.
        self._client = client
        self._request = request
        self._call: Optional[PendingCall] = None
        self._ended = False

    @property
    def closed(self) -> bool:
        """True once the stream has ended: finished, failed or closed."""
        return self._ended

    def __aiter__(self) -> "AsyncEventStream":
        return self

    async def __anext__(self) -> StreamEvent:
        if self._ended:
            raise StopAsyncIteration
        call = self._call
        if call is None:
            try:
                call = self._call = self._client._start(self._request)
            except BaseException:
                self._ended = True
                raise
            weakref.finalize(self, call.cancel)
        try:
            while not call.events and not call.ended:
                await call.changed()
        except asyncio.CancelledError:
            self.close()
            raise
        if call.events:
            try:
                return self._parse_event(call.events.popleft())
            except GumloopError:
                self.close()
                raise
        self._ended = True
        self._client._after_call()
        if call.failure is not None:
            self.summary = self._consumer_summary()
            raise call.failure
        assert call.result is not None
        self._outcome(*call.result)
        raise StopAsyncIteration

    def close(self) -> None:
        """Stops the stream: cancels the call (its connection closes at once) and drops events
        not read. Idempotent; never waits."""
        if self._ended:
            return
        self._ended = True
        call = self._call
        if call is not None:
            call.cancel()
            call.events.clear()
        self.summary = self._closed_summary_of(None if call is None else call.result)

    async def aclose(self) -> None:
        """As :meth:`close`."""
        self.close()

    async def __aenter__(self) -> "AsyncEventStream":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        status = "closed" if self._ended else "open"
        return f"<gumloop_ffi.AsyncEventStream {status} session_id={self._session_id!r}>"



def _summary(text: Optional[str]) -> StreamSummary:
    try:
        return StreamSummary(parse_object(text or ""))
    except ValueError:
        return StreamSummary()


def _error_summary(text: Optional[str]) -> Optional[StreamSummary]:
    """The stream summary that an error document carries under ``stream``, if any."""
    try:
        document = parse_object(text or "")
    except ValueError:
        return None
    error = document.get("error")
    summary = error.get("stream") if isinstance(error, GumloopObject) else None
    return StreamSummary(summary) if isinstance(summary, GumloopObject) else None


def _invalid_event(item: bytes, reason: ValueError) -> GumloopError:
    message = f"a stream event cannot be read: {reason}"
    return python_error(
        "GUMLOOP_ERR_INVALID_RESPONSE", message, body=item.decode("utf-8", "replace")
    )

