"""The client handle (``gumloop_client *``) shared safely between threads, and
:class:`CancelToken`.

Fork safety: a child process made by ``fork()`` inherits every handle, but none of the parent's
other threads. Locks those threads held would stay locked forever in the child, and calls they
had in flight would never end there, so after a fork every live handle gets a fresh lock and
forgets the parent's calls in flight (``os.register_at_fork``). The C library itself rebuilds its
runtime and connection pool in a child, so the same :class:`~gumloop_ffi.Client` keeps working.
"""

from __future__ import annotations

import contextlib
import os
import threading
import weakref
from typing import Callable, Iterator, Optional, Protocol, Set

from . import _args
from ._engine import PendingCall
from ._hooks import TokenWatch, after_call
from ._errors import client_closed, invalid_argument



class Abortable(Protocol):
    """Something that runs while holding a handle (an open event stream) and that the handle's
    :meth:`_Handle.close` must stop before it can wait for the calls in flight."""

    def abort(self, error: BaseException) -> None:
        """Stops it, making it end with `error`."""
        ...

    def join(self) -> None:
        """Waits until it no longer runs."""
        ...


#: Every live handle and token, so that a forked child can reset their locks.
_live_handles: "weakref.WeakSet[_Handle]" = weakref.WeakSet()
_live_tokens: "weakref.WeakSet[CancelToken]" = weakref.WeakSet()


class _Handle:
    """A library handle with the bookkeeping that makes sharing and closing it safe.

    Calls register themselves for their duration; :meth:`close` marks the handle closed (new
    calls then fail at once), stops the event streams open on it, waits for the calls in flight
    to return, and frees the C object. The C client itself is thread-safe, so calls run
    concurrently.
    """

    def __init__(self, pointer: int, free: Callable[[int], None], what: str = "client") -> None:
        self.pointer = pointer
        #: The client's refreshes as its ``on_tokens`` callback sees them (None: no callback).
        self.tokens: Optional[TokenWatch] = None
        self._what = what
        self._cond = threading.Condition(threading.Lock())
        self._in_flight = 0
        self._closed = False
        self._streams: Set[Abortable] = set()
        # Frees the C object when this one is collected without close(). Not at interpreter
        # exit: daemon threads may still be inside a call then, and the OS reclaims the memory.
        self._finalizer = weakref.finalize(self, free, pointer)
        self._finalizer.atexit = False
        _live_handles.add(self)

    @property
    def closed(self) -> bool:
        return self._closed

    def acquire(self) -> int:
        """Holds the handle open for one call and returns its pointer; pair it with
        :meth:`release` (in a ``finally``). :meth:`use` is the same as a context manager."""
        with self._cond:
            if self._closed:
                raise client_closed(self._what)
            self._in_flight += 1
        return self.pointer

    def release(self) -> None:
        """Ends what :meth:`acquire` began."""
        with self._cond:
            self._in_flight -= 1
            if self._in_flight == 0:
                self._cond.notify_all()

    @contextlib.contextmanager
    def use(self) -> Iterator[int]:
        """Holds the handle open for one call."""
        pointer = self.acquire()
        try:
            yield pointer
        finally:
            self.release()

    def after_call(self) -> None:
        """The caller's side of a call that ended (log records, new tokens), unless the handle
        was closed meanwhile (then only the log records)."""
        with self._cond:
            usable = not self._closed
            if usable:
                self._in_flight += 1
        try:
            after_call(self.pointer if usable else None, self.tokens)
        finally:
            if usable:
                self.release()

    def track(self, stream: Abortable) -> None:
        """Registers an open stream, to be aborted by :meth:`close`; raises when closed."""
        with self._cond:
            if self._closed:
                raise client_closed(self._what)
            self._streams.add(stream)

    def untrack(self, stream: Abortable) -> None:
        with self._cond:
            self._streams.discard(stream)

    def close(self) -> None:
        with self._cond:
            if self._closed:
                return
            self._closed = True
            streams = list(self._streams)
            self._streams.clear()
        # An open stream's call runs until its end is taken: cancel it, or the client could not
        # be freed.
        for stream in streams:
            stream.abort(client_closed(self._what))
        with self._cond:
            self._cond.wait_for(lambda: self._in_flight == 0)
        for stream in streams:
            stream.join()
        self._finalizer()

    def _after_fork_in_child(self) -> None:
        # Only the forking thread exists in the child: the calls other threads had in flight
        # will never return here, and a lock they held would never be released.
        self._cond = threading.Condition(threading.Lock())
        self._in_flight = 0
        self._streams = set()
        if self.tokens is not None:
            self.tokens.lock = threading.Lock()


def _after_fork_in_child() -> None:
    for handle in list(_live_handles):
        handle._after_fork_in_child()
    for token in list(_live_tokens):
        token._after_fork_in_child()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class CancelToken:
    """A cancellation token: pass it to calls as ``cancel=``, and call :meth:`cancel` from any
    thread to end them with :class:`~gumloop_ffi.CancelledError`.

    Ctrl-C ends a blocking call on the main thread by itself; a token ends a call on any
    thread. One token may serve many calls and streams; once triggered it stays triggered, and
    a call given a triggered token ends before sending anything. :meth:`close` (or leaving a
    ``with`` block) retires it: passing it to a call (or starting a stream given it) afterwards,
    or cancelling it, raises :class:`~gumloop_ffi.ClientClosedError`.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancelled = False
        self._closed = False
        self._calls: Set[PendingCall] = set()
        _live_tokens.add(self)

    def _after_fork_in_child(self) -> None:
        # The calls it cancels ran in the parent; a lock held there at the fork stays held.
        self._lock = threading.Lock()
        self._calls = set()

    def cancel(self) -> None:
        """Ends every call and stream that uses this token. Safe from any thread, any number of
        times; a closed token raises :class:`~gumloop_ffi.ClientClosedError`."""
        if self._closed:
            raise client_closed("cancel token")
        with self._lock:
            self._cancelled = True
            calls = list(self._calls)
        for call in calls:
            call.cancel()

    @property
    def cancelled(self) -> bool:
        """Whether :meth:`cancel` was called."""
        return self._cancelled

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Retires the token (calls using it go on). Idempotent."""
        self._closed = True

    def _attach(self, call: PendingCall) -> None:
        """Makes :meth:`cancel` cancel ``call`` (at once if this token is triggered)."""
        with self._lock:
            if not self._cancelled:
                self._calls.add(call)
                return
        call.cancel()

    def _detach(self, call: PendingCall) -> None:
        with self._lock:
            self._calls.discard(call)

    def __enter__(self) -> "CancelToken":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<gumloop_ffi.CancelToken {'cancelled' if self._cancelled else 'armed'}>"


def check_token(cancel: object) -> Optional[CancelToken]:
    """``cancel`` as a token, or an error unless it is one or None (ClientClosedError for a
    closed one)."""
    if cancel is None:
        return None
    if not isinstance(cancel, CancelToken):
        raise invalid_argument(
            "cancel",
            f"`cancel` must be a CancelToken or None, not {_args.type_name(cancel)}",
            wrong_type=True,
        )
    if cancel.closed:
        raise client_closed("cancel token")
    return cancel
