"""Event streams: the library's blocking, callback-driven streaming calls as Python iterators.

A streaming call of libgumloop blocks its thread and calls a C callback on that thread for each
event. :class:`EventStream` turns that into an iterator that the caller pulls from:

* **One worker thread per stream** (a daemon thread named ``gumloop-stream``), started by the
  first ``next()``, makes the C call. Its callback copies the event's bytes and hands them to a
  :class:`_Channel`, a buffer of at most :attr:`EventStream.buffer_size` events.
* **Backpressure.** While the buffer is full the callback waits; the library queues at most
  1 MiB of further events for it and then stops reading the connection, so memory stays bounded
  however slowly the consumer reads.
* **Closing.** :meth:`EventStream.close` (also called by ``with``, by ``throw()``, and when an
  abandoned stream is garbage-collected) marks the channel abandoned, which makes a waiting or
  future callback return non-zero, and triggers the stream's own cancel token, which ends a
  call that is waiting for the network. The C call then returns ``GUMLOOP_ERR_CANCELLED`` and
  the worker ends; ``close()`` joins it, so no thread is left behind.
* **Results.** Events are parsed on the consumer's thread. When the buffer is drained and the
  call has returned, ``next()`` raises ``StopIteration`` whose value is the summary (so
  ``summary = yield from stream`` works), and :attr:`EventStream.summary` holds it; or it raises
  the call's error as the package's exception.

The worker holds only a :class:`_StreamState`, never the :class:`EventStream`, so a stream the
consumer dropped can be collected (and so closed) while its worker is blocked.
"""

from __future__ import annotations

import ctypes
import json
import os
import threading
import weakref
from collections import deque
from typing import Any, Deque, Generator, Optional, Tuple

from ._callbacks import CallbackScope
from ._errors import (
    ClientClosedError,
    GumloopError,
    error_from_call,
    interrupted_note,
    python_error,
)
from ._handles import CancelToken, _Handle
from ._native import EVENT_CALLBACK, OK, native
from ._requests import Request
from ._types import GumloopObject, StreamEvent, StreamSummary, loads, parse_object

#: How long a garbage-collected stream's finalizer waits for its worker to end. A finalizer can
#: run on any thread at almost any point (even one holding a lock the worker needs to finish),
#: so it does not wait without bound; the worker ends on its own soon after anyway.
FINALIZER_JOIN_SECONDS = 5.0



class _Channel:
    """A bounded buffer between the worker (producer) and the consumer."""

    def __init__(self, capacity: int) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._items: Deque[bytes] = deque()
        self._capacity = capacity
        self._abandoned = False
        self._done = False
        #: (code, text) of the C call, once it returned.
        self.result: Optional[Tuple[int, Optional[str]]] = None
        #: An exception raised in the worker instead.
        self.failure: Optional[BaseException] = None
        #: Events the worker has handed over, and the most ever buffered at once (for tests
        #: and diagnostics).
        self.received = 0
        self.high_water = 0

    def put(self, item: bytes) -> bool:
        """Buffers an event, waiting while the buffer is full; False once abandoned."""
        with self._cond:
            while len(self._items) >= self._capacity and not self._abandoned:
                self._cond.wait()
            if self._abandoned:
                return False
            self._items.append(item)
            self.received += 1
            self.high_water = max(self.high_water, len(self._items))
            self._cond.notify_all()
            return True

    def finish(
        self, result: Optional[Tuple[int, Optional[str]]], failure: Optional[BaseException]
    ) -> None:
        with self._cond:
            self.result = result
            self.failure = failure
            self._done = True
            self._cond.notify_all()

    def get(self) -> Optional[bytes]:
        """The next event, waiting for one; None once the call has returned and all is read."""
        with self._cond:
            while not self._items and not self._done:
                self._cond.wait()
            if self._items:
                item = self._items.popleft()
                self._cond.notify_all()
                return item
            return None

    def abandon(self) -> None:
        """The consumer is gone: drops what is buffered and refuses every further event."""
        with self._cond:
            self._abandoned = True
            self._items.clear()
            self._cond.notify_all()

    def buffered(self) -> int:
        with self._cond:
            return len(self._items)


#: Every stream state alive, so that a forked child can disarm the ones it inherited.
_live_states: "weakref.WeakSet[_StreamState]" = weakref.WeakSet()


class _StreamState:
    """What the worker thread needs. It must never refer to the :class:`EventStream`."""

    def __init__(
        self,
        handle: _Handle,
        function: str,
        args: Tuple[Any, ...],
        user_token: Optional[CancelToken],
        capacity: int,
    ) -> None:
        self.handle = handle
        self.function = function
        self.args = args
        self.user_token = user_token
        self.capacity = capacity
        self.channel = _Channel(capacity)
        self.lock = threading.Lock()
        self.thread: Optional[threading.Thread] = None
        self.token: Optional[CancelToken] = None
        #: Closed by the consumer, or aborted (then with ``abort_error``).
        self.stopped = False
        self.abort_error: Optional[BaseException] = None
        #: Inherited by a forked child, where its worker does not exist.
        self.forked = False
        _live_states.add(self)

    def start(self) -> None:
        """Starts the worker. Raises (having started nothing) when the client or the caller's
        token is closed."""
        with self.lock:
            if self.stopped or self.thread is not None:
                return
            token = CancelToken()
            try:
                if self.user_token is not None:
                    self.user_token._link(token)
                try:
                    self.handle.track(self)
                except BaseException:
                    if self.user_token is not None:
                        self.user_token._unlink(token)
                    raise
            except BaseException:
                token.close()
                raise
            thread = threading.Thread(
                target=_work, args=(self,), name="gumloop-stream", daemon=True
            )
            self.token = token
            self.thread = thread
            try:
                thread.start()
            except BaseException:  # no thread to be had: undo, as _work would have
                self.thread = None
                self.token = None
                self.handle.untrack(self)
                if self.user_token is not None:
                    self.user_token._unlink(token)
                token.close()
                raise

    def abort(self, error: Optional[BaseException] = None) -> None:
        """Stops the stream: the callback returns non-zero from now on, and the stream's token
        is triggered. ``error`` (None for a close by the consumer) is what the consumer gets."""
        with self.lock:
            if not self.stopped:
                self.stopped = True
                self.abort_error = error
            token = self.token
        self.channel.abandon()
        if token is not None:
            token._cancel_quietly()

    def join(self, timeout: Optional[float] = None) -> None:
        """Waits for the worker to end (not when called on the worker itself)."""
        thread = self.thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _after_fork_in_child(self) -> None:
        self.forked = True
        self.lock = threading.Lock()
        self.channel = _Channel(self.capacity)
        self.channel.finish(None, None)
        self.thread = None
        self.token = None


def _after_fork_in_child() -> None:
    for state in list(_live_states):
        state._after_fork_in_child()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _work(state: _StreamState) -> None:
    """The worker thread: makes the blocking C call, feeding the channel from its callback."""
    channel = state.channel
    token = state.token
    assert token is not None
    result: Optional[Tuple[int, Optional[str]]] = None
    failure: Optional[BaseException] = None

    def deliver(_user_data: Optional[int], event: Optional[int], length: int) -> int:
        return 0 if channel.put(ctypes.string_at(event or 0, length)) else 1

    try:
        with state.handle.use() as client, token._handle.use() as cancel:
            with CallbackScope() as scope:
                callback = scope.wrap(EVENT_CALLBACK, deliver, stop=1)
                result = native.client_call(
                    state.function, client, *state.args, callback, None, cancel
                )
    except BaseException as error:  # handed to the consumer
        failure = error
    finally:
        state.handle.untrack(state)
        if state.user_token is not None:
            state.user_token._unlink(token)
        token.close()
        channel.finish(result, failure)


def _finalize(state: _StreamState) -> None:
    """Closes a stream whose :class:`EventStream` was collected (or at interpreter exit)."""
    if state.forked:
        return
    state.abort(None)
    state.join(FINALIZER_JOIN_SECONDS)


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

    def _closed_summary_of(self, result: Optional[Tuple[int, Optional[str]]]) -> StreamSummary:
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
    end the call and its worker thread. The server-side run goes on (use ``sessions.cancel`` to
    stop it); :attr:`last_cursor` is where to resume from. The summary of a closed stream
    counts the events this iterator yielded and has ``stopped`` set.

    A stream is consumed by one thread at a time; ``close()`` may come from any thread. The
    consumer may make other calls with the same client between events (unlike a C callback).
    While it waits in ``next()`` the thread can be interrupted (Ctrl-C), which closes the stream
    when the exception leaves the loop. Closing the client closes its open streams: their next
    ``next()`` raises :class:`~gumloop_ffi.ClientClosedError`.
    """

    #: How many events the worker may read ahead of the consumer.
    buffer_size = 64

    def __init__(
        self,
        handle: _Handle,
        request: Request,
        cancel: Optional[CancelToken],
        *,
        session_id: Optional[str] = None,
        cursor: Optional[str] = None,
    ) -> None:
        self._state = _StreamState(
            handle, request.function, request.values(), cancel, self.buffer_size
        )
        super().__init__(session_id, cursor)
        self._finalizer = weakref.finalize(self, _finalize, self._state)
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
        if state.forked:
            self._end()
            raise ClientClosedError(
                "this stream was open when the process forked; it goes on only in the parent",
                {"error": {"kind": "GUMLOOP_STREAM_FORKED", "gumloop_code": None}},
            )
        if state.thread is None:
            if not state.stopped:
                try:
                    state.start()
                except BaseException:
                    self._end()
                    raise
            if state.thread is None:  # closed from another thread before it started
                self._end()
                self.summary = self._closed_summary()
                if state.abort_error is not None:
                    raise state.abort_error
                raise StopIteration(self.summary)
        try:
            item = state.channel.get()
        except KeyboardInterrupt as interrupt:
            self._interrupted(interrupt)
            raise
        if item is not None:
            return self._event(item)
        return self._finish()

    def _interrupted(self, interrupt: KeyboardInterrupt) -> None:
        """Ctrl-C while waiting for an event: closes the stream (its call is cancelled and its
        worker joined) and notes on ``interrupt`` what the call may have created."""
        self.close()
        result = self._state.channel.result
        if result is None:
            return
        code, text = result
        add_note = getattr(interrupt, "add_note", None)
        if add_note is not None:
            add_note(interrupted_note(code, text))
        if code != OK:
            interrupt.__cause__ = error_from_call(code, text)

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
        """Stops the stream and waits for its worker thread to end. Idempotent; safe from any
        thread. The summary of a stream closed before its end has ``stopped`` set."""
        if self._ended:
            return
        state = self._state
        self._finalizer.detach()
        if state.forked:
            self._end()
            return
        state.abort(None)
        state.join()
        self._ended = True
        self.summary = self._closed_summary()

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
        """The call has returned and every event was read: stop, or raise its error."""
        state = self._state
        state.join()
        self._end()
        channel = state.channel
        if channel.failure is not None:
            raise channel.failure
        if state.stopped:
            self.summary = self._closed_summary()
            if state.abort_error is not None:
                raise state.abort_error
            raise StopIteration(self.summary)
        code, text = channel.result or (OK, None)
        raise StopIteration(self._outcome(code, text))

    def _closed_summary(self) -> StreamSummary:
        return self._closed_summary_of(self._state.channel.result)


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

