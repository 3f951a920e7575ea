"""Library handles (``gumloop_client *``, ``gumloop_cancel_token *``) shared safely between threads,
and :class:`CancelToken`.

Fork safety: a child process made by ``fork()`` inherits every handle, but none of the parent's
other threads. Locks those threads held would stay locked forever in the child, and calls they
had in flight would never end there, so after a fork every live handle gets a fresh lock and
forgets the parent's calls in flight (``os.register_at_fork``). The C library itself rebuilds its
runtime and connection pool in a child, so the same :class:`~gumloop_ffi.Client` keeps working.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import weakref
from typing import Callable, Iterator, List, Optional, Protocol, Set, Tuple

from . import _args
from ._errors import (
    ClientClosedError,
    client_closed,
    error_from_call,
    invalid_argument,
    python_error,
)
from ._native import native



class Abortable(Protocol):
    """Something that runs while holding a handle (an open event stream) and that the handle's
    :meth:`_Handle.close` must stop before it can wait for the calls in flight."""

    def abort(self, error: BaseException) -> None:
        """Stops it, making it end with `error`."""
        ...

    def join(self) -> None:
        """Waits until it no longer runs."""
        ...


#: Every live handle, so that a forked child can reset their locks.
_live_handles: "weakref.WeakSet[_Handle]" = weakref.WeakSet()


class _Handle:
    """A library handle with the bookkeeping that makes sharing and closing it safe.

    Calls register themselves for their duration; :meth:`close` marks the handle closed (new
    calls then fail at once), stops the event streams open on it, waits for the calls in flight
    to return, and frees the C object. The C client itself is thread-safe, so calls run
    concurrently, each with the GIL released.
    """

    def __init__(self, pointer: int, free: Callable[[int], None], what: str = "client") -> None:
        self.pointer = pointer
        self._what = what
        self._cond = threading.Condition(threading.Lock())
        self._in_flight = 0
        self._closed = False
        self._streams: Set[Abortable] = set()
        self._local = threading.local()
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
        local = self._local
        local.depth = getattr(local, "depth", 0) + 1
        return self.pointer

    def release(self) -> None:
        """Ends what :meth:`acquire` began."""
        self._local.depth -= 1
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
            if getattr(self._local, "depth", 0):
                message = (
                    f"the {self._what} was closed from inside a call that uses it (a "
                    "callback); close it after the call returns"
                )
                raise python_error("GUMLOOP_ERR_WRONG_THREAD", message)
            self._closed = True
            streams = list(self._streams)
            self._streams.clear()
        # An open stream's worker may be blocked handing an event to a consumer that is not
        # reading (perhaps this very thread): stop it, or the wait below would never end.
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
        self._in_flight = getattr(self._local, "depth", 0)
        self._streams = set()


def _after_fork_in_child() -> None:
    for handle in list(_live_handles):
        handle._after_fork_in_child()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class CancelToken:
    """A cancellation token (``gumloop_cancel_token``): pass it to calls as ``cancel=``, and call
    :meth:`cancel` from any thread to end them with :class:`~gumloop_ffi.CancelledError`.

    Ctrl-C ends a blocking call on the main thread by itself (see :func:`call_cancellable`); a
    token ends a call on any thread. One token may
    serve many calls and streams; once triggered it stays triggered. It is freed by
    :meth:`close` (which waits for calls using it) or when collected.
    """

    def __init__(self) -> None:
        self._handle = _Handle(native.cancel_new(), native.cancel_free, "cancel token")
        # Tokens of event streams that use this one: each stream passes its own token to the
        # library (so that closing the stream stops it without cancelling anything else), and
        # cancelling this token cancels them too.
        self._children: Set[CancelToken] = set()

    def cancel(self) -> None:
        """Ends every call and stream that uses this token. Safe from any thread, any number of
        times."""
        with self._handle.use() as pointer:
            native.cancel_trigger(pointer)
        with self._handle._cond:
            children = list(self._children)
        for child in children:
            child._cancel_quietly()

    @property
    def cancelled(self) -> bool:
        with self._handle.use() as pointer:
            return native.cancel_is_triggered(pointer)

    def close(self) -> None:
        self._handle.close()

    def _cancel_quietly(self) -> None:
        """Triggers this token unless it is closed already."""
        try:
            self.cancel()
        except ClientClosedError:
            pass

    def _link(self, child: "CancelToken") -> None:
        """Makes :meth:`cancel` trigger ``child`` too (at once if this one is triggered)."""
        with self._handle.use() as pointer:
            with self._handle._cond:
                self._children.add(child)
            triggered = native.cancel_is_triggered(pointer)
        if triggered:
            child._cancel_quietly()

    def _unlink(self, child: "CancelToken") -> None:
        with self._handle._cond:
            self._children.discard(child)

    def __enter__(self) -> "CancelToken":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def check_token(cancel: object) -> Optional[CancelToken]:
    """``cancel`` as a token, or an InvalidArgumentTypeError unless it is one or None."""
    if cancel is None or isinstance(cancel, CancelToken):
        return cancel
    raise invalid_argument(
        "cancel",
        f"`cancel` must be a CancelToken or None, not {_args.type_name(cancel)}",
        wrong_type=True,
    )


@contextlib.contextmanager
def maybe_cancel(cancel: Optional[CancelToken]) -> Iterator[Optional[int]]:
    """Holds ``cancel`` open for one call and gives its pointer (None for no token)."""
    token = check_token(cancel)
    if token is None:
        yield None
        return
    with token._handle.use() as pointer:
        yield pointer



#: A foreign call: given the cancel token's pointer (or None), returns (code, text).
NativeCall = Callable[[Optional[int]], Tuple[int, Optional[str]]]


def _interruptible_here() -> bool:
    """Whether Ctrl-C can reach this thread: the main thread, with a Python SIGINT handler."""
    if threading.current_thread() is not threading.main_thread():
        return False
    try:
        return callable(signal.getsignal(signal.SIGINT))
    except (ValueError, OSError):  # pragma: no cover - no signals on this platform or thread
        return False


def call_cancellable(
    call: NativeCall,
    cancel: Optional[CancelToken],
    describe: Callable[[int, Optional[str]], str],
) -> Tuple[int, Optional[str]]:
    """Runs the blocking foreign ``call`` so that Ctrl-C ends it at once.

    A foreign call cannot be interrupted by a signal: Python runs its handler only when the call
    returns. So on the main thread (the only one Ctrl-C reaches) the call runs on a helper
    thread, with a token of its own (linked to ``cancel``), while this thread waits in a way a
    signal interrupts. On ``KeyboardInterrupt`` the token is triggered, the helper is joined (the
    library ends a cancelled call at once), and the ``KeyboardInterrupt`` goes on, with the
    call's :class:`~gumloop_ffi.CancelledError` as its ``__cause__`` and a note (Python 3.11+)
    from ``describe(code, text)`` saying what the call may have done, e.g. the session a create
    may have made. Elsewhere the call runs on this thread as it is.
    """
    cancel = check_token(cancel)
    if not _interruptible_here():
        if cancel is None:
            return call(None)
        with maybe_cancel(cancel) as pointer:
            return call(pointer)
    own = CancelToken()
    try:
        if cancel is not None:
            cancel._link(own)
        try:
            with own._handle.use() as pointer:
                return _wait_interruptibly(call, pointer, own, describe)
        finally:
            if cancel is not None:
                cancel._unlink(own)
    finally:
        own.close()


def _wait_interruptibly(
    call: NativeCall,
    pointer: int,
    own: CancelToken,
    describe: Callable[[int, Optional[str]], str],
) -> Tuple[int, Optional[str]]:
    outcome: List[Tuple[int, Optional[str]]] = []
    failure: List[BaseException] = []
    # The helper's end is waited for on an Event, not by join(): a join interrupted by Ctrl-C
    # may mark the thread as ended while it still runs.
    done = threading.Event()

    def run() -> None:
        try:
            outcome.append(call(pointer))
        except BaseException as error:  # handed to the waiting thread
            failure.append(error)
        finally:
            done.set()

    helper = threading.Thread(target=run, name="gumloop-call", daemon=True)
    helper.start()
    try:
        done.wait()
    except KeyboardInterrupt as interrupt:
        own.cancel()
        _wait_through_interrupts(done)
        helper.join()
        if outcome:
            code, text = outcome[0]
            note = describe(code, text)
            add_note = getattr(interrupt, "add_note", None)
            if add_note is not None:
                add_note(note)
            if code != 0:
                interrupt.__cause__ = error_from_call(code, text)
        raise
    helper.join()
    if failure:
        raise failure[0]
    return outcome[0]


def _wait_through_interrupts(done: threading.Event) -> None:
    """Waits for ``done``, which a triggered token brings at once, even through another Ctrl-C."""
    while True:
        try:
            done.wait()
            return
        except KeyboardInterrupt:
            continue
