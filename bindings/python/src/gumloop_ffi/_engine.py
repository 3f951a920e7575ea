"""The one engine of both clients: libgumloop's poller (``gumloop_poller``), driven by name.

Every operation starts with ``gumloop_poller_start_call(poller, client, operation, args_json)``,
which never blocks: the call runs as a task on the library's runtime (no thread per call, no
Python code on the library's threads). Its stream events and its end arrive as items, taken
with ``gumloop_poller_take_item`` when the poller's file descriptor is readable, and handed to
the call's :class:`PendingCall`.

Two ways of waiting for that descriptor, one poller class each:

* :class:`SyncPoller`, for :class:`~gumloop_ffi.Client`: the caller's thread waits in
  ``poll(2)`` (:mod:`select`), where a signal interrupts it, so Ctrl-C ends any call on the
  main thread at once (:func:`run_blocking` cancels the call, collects its end, and raises the
  ``KeyboardInterrupt``). Each thread has its own poller for its calls (:func:`thread_poller`),
  and each event stream one of its own, so that events are taken only as they are read. When
  two threads wait on one poller (a stream closed from another thread), one of them polls and
  hands the others what it took.
* :class:`AsyncPoller`, for :class:`~gumloop_ffi.AsyncClient`: the running event loop watches
  the descriptor (``loop.add_reader``).

Fork safety: a poller is usable only in the process that made it. After ``fork()`` the child
forgets every poller it inherited (never freeing one: the library refuses that there) and makes
new ones as it needs them; calls in flight at the fork go on only in the parent.
"""

from __future__ import annotations

import asyncio
import ctypes
import json
import os
import select
import threading
import weakref
from collections import deque
from ctypes import c_uint32, c_uint64, c_void_p
from typing import Any, Deque, Dict, List, Optional, Protocol, Tuple

from ._description import returns_bytes
from ._errors import CODES, DOCUMENT_FIELDS, error_from_call, interrupted_note
from ._call_info import CallInfo, current_sink, from_library
from ._native import ITEM_DONE, ITEM_EVENT, ITEM_NONE, OK, c_gumloop_code, native
from ._requests import Request

#: A call's outcome: its code and its result or error document.
Outcome = Tuple[int, Optional[str]]


class PendingCall:
    """One call in flight on a poller: its events not yet consumed and, once ended, its outcome
    (or the error that ended it from the Python side, such as its client being closed)."""

    __slots__ = (
        "call_id",
        "poller",
        "events",
        "result",
        "data",
        "takes_bytes",
        "failure",
        "operation",
        "info_sink",
        "_waiter",
        "__weakref__",
    )

    def __init__(self, call_id: int, poller: "NativePoller", takes_bytes: bool = False) -> None:
        self.call_id = call_id
        self.poller = poller
        self.events: Deque[bytes] = deque()
        self.result: Optional[Outcome] = None
        #: Whether the call's result is bytes, taken when its end is (a download).
        self.takes_bytes = takes_bytes
        #: The bytes of a successful bytes call.
        self.data = b""
        self.failure: Optional[BaseException] = None
        #: The operation's name, and where its :class:`CallInfo` goes when it ends (a
        #: ``capture_call_info`` block that was current when it started), if anywhere.
        self.operation = ""
        self.info_sink: Optional[List[CallInfo]] = None
        self._waiter: Optional["asyncio.Future[None]"] = None

    @property
    def ended(self) -> bool:
        return self.result is not None or self.failure is not None

    def cancel(self) -> None:
        """Cancels the call unless it has ended (its connection closes at once; its end, with
        ``GUMLOOP_ERR_CANCELLED``, is still to be taken). Safe from any thread."""
        if not self.ended:
            self.poller.cancel(self.call_id)

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    # --- asyncio ------------------------------------------------------------------------------

    async def changed(self) -> None:
        """Waits until an event arrives or the call ends (at once if either is so)."""
        if self.events or self.ended:
            return
        poller = self.poller
        assert isinstance(poller, AsyncPoller)
        waiter = poller.loop.create_future()
        self._waiter = waiter
        try:
            await waiter
        finally:
            self._waiter = None

    async def outcome(self) -> Outcome:
        """Waits for the call's end. Cancelling the waiting task cancels the call."""
        try:
            while not self.ended:
                await self.changed()
        except asyncio.CancelledError:
            self.cancel()
            raise
        return self.outcome_now()

    def outcome_now(self) -> Outcome:
        """The outcome of an ended call, or the error that ended it."""
        if self.failure is not None:
            raise self.failure
        assert self.result is not None
        return self.result


#: Every poller alive, so that a forked child can disown the ones it inherited.
_live_pollers: "weakref.WeakSet[NativePoller]" = weakref.WeakSet()


class NativePoller:
    """A ``gumloop_poller``: starts calls, cancels them, and takes their items."""

    def __init__(self) -> None:
        pointer = c_void_p()
        code, text = native.call_json("gumloop_poller_new", None, ctypes.byref(pointer))
        if code != OK or not pointer.value:
            raise error_from_call(code, text)
        self.pid = os.getpid()
        self._pointer: Optional[int] = pointer.value
        self._calls: Dict[int, PendingCall] = {}
        #: Items taken so far (for tests and diagnostics).
        self.items_taken = 0
        self.fd: int = native.functions["gumloop_poller_get_fd"](pointer.value)
        self._id = c_uint64()
        self._kind = c_uint32()
        self._code = c_gumloop_code()
        self._json = c_void_p()
        self._refs = (
            ctypes.byref(self._id),
            ctypes.byref(self._kind),
            ctypes.byref(self._code),
            ctypes.byref(self._json),
        )
        #: Held while a call is started and registered, and while items are taken: an item is
        #: never taken before its call is registered (threads may share a poller).
        self._registry = threading.Lock()
        self._finalizer = weakref.finalize(
            self, native.functions["gumloop_poller_free"], pointer.value
        )
        self._finalizer.atexit = False
        _live_pollers.add(self)

    @property
    def usable(self) -> bool:
        """Open, and made by this process."""
        return self._pointer is not None and self.pid == os.getpid()

    @property
    def in_flight(self) -> int:
        """Calls started and not ended."""
        return len(self._calls)

    def start(self, client_pointer: int, request: Request) -> PendingCall:
        """Starts ``request``; raises its error when the library refuses it (nothing sent)."""
        if self._pointer is None:
            raise RuntimeError("the poller is closed")
        call_id = c_uint64()
        data = request.data
        # An operation that takes bytes gets a non-NULL pointer even for none (the poller reads
        # NULL as "no data" and refuses the upload), so an empty upload goes through.
        args_json = request.args_json()
        with self._registry:
            code, text = native.call_json(
                "gumloop_poller_start_call",
                self._pointer,
                client_pointer,
                request.operation.encode(),
                args_json,
                None if data is None else (data or b"\0"),
                0 if data is None else len(data),
                ctypes.byref(call_id),
            )
            if code != OK:
                raise error_from_call(code, text)
            call = PendingCall(call_id.value, self, returns_bytes(request.operation))
            call.operation = request.operation
            call.info_sink = current_sink()
            self._calls[call.call_id] = call
        return call

    def cancel(self, call_id: int) -> None:
        pointer = self._pointer
        if pointer is None or call_id not in self._calls:
            return
        # An ID whose end was taken meanwhile is refused: nothing to cancel then.
        native.call_json("gumloop_poller_cancel_call", pointer, c_uint64(call_id))

    def drain(self, limit: Optional[int] = None) -> None:
        """Takes every ready item (at most ``limit``) and hands each to its call."""
        with self._registry:
            self._drain(limit)

    def _drain(self, limit: Optional[int]) -> None:
        take = native.functions["gumloop_poller_take_item"]
        refs = self._refs
        taken = 0
        while self._pointer is not None and (limit is None or taken < limit):
            taken += 1
            code = take(self._pointer, *refs)
            pointer = self._json.value
            text: Optional[bytes] = None
            if pointer:
                try:
                    text = ctypes.string_at(pointer)
                finally:
                    native.functions["gumloop_string_free"](pointer)
            kind = self._kind.value
            if code != OK or kind == ITEM_NONE:
                return
            self.items_taken += 1
            call = self._calls.get(self._id.value)
            if call is None:
                continue
            if kind == ITEM_EVENT and text is not None:
                call.events.append(text)
            elif kind == ITEM_DONE:
                del self._calls[call.call_id]
                decoded = None if text is None else text.decode("utf-8", "replace")
                outcome = (self._code.value, decoded)
                if call.takes_bytes and outcome[0] == OK:
                    code, call.data, error = native.take_bytes(self._pointer, call.call_id)
                    if code != OK:
                        outcome = (code, error)
                if call.info_sink is not None:
                    code, info = native.call_json(
                        "gumloop_poller_take_call_info", self._pointer, c_uint64(call.call_id)
                    )
                    ended = from_library(call.operation, info) if code == OK else None
                    if ended is not None:
                        call.info_sink.append(ended)
                call.result = outcome
            call._wake()

    def close(self, error: BaseException) -> None:
        """Cancels every call in flight (their waiters get ``error``) and frees the poller."""
        if self._pointer is None:
            return
        self._pointer = None
        self._finalizer()
        calls = list(self._calls.values())
        self._calls.clear()
        for call in calls:
            call.failure = error
            call._wake()

    def _after_fork_in_child(self) -> None:
        # The poller's calls run only in the parent: the child forgets them and never frees the
        # poller (the library refuses a parent's poller in a child).
        self._pointer = None
        self._finalizer.detach()
        self._calls.clear()


def _after_fork_in_child() -> None:
    for poller in list(_live_pollers):
        poller._after_fork_in_child()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class SyncPoller(NativePoller):
    """A poller whose items are taken by the threads that wait for them, in ``poll(2)``."""

    def __init__(self, max_take: Optional[int] = None) -> None:
        super().__init__()
        #: The most items one wake takes (None: all that are ready).
        self.max_take = max_take
        self._poll = select.poll()
        self._poll.register(self.fd, select.POLLIN)
        self._cond = threading.Condition(threading.Lock())
        self._polling = False

    def wait(self, call: PendingCall, timeout_ms: Optional[int] = None) -> None:
        """Waits until ``call`` has an event or has ended (or ``timeout_ms`` passed). A signal
        interrupts it: its handler's exception (``KeyboardInterrupt``) comes out of here."""
        while not (call.events or call.ended):
            with self._cond:
                if call.events or call.ended:
                    return
                if self._polling:  # another thread polls, and hands over what it takes
                    self._cond.wait(None if timeout_ms is None else timeout_ms / 1000)
                    if timeout_ms is not None:
                        return
                    continue
                self._polling = True
            try:
                if self._pointer is None:
                    return
                ready = self._poll.poll(timeout_ms)
                self.drain(self.max_take)
            finally:
                with self._cond:
                    self._polling = False
                    self._cond.notify_all()
            if timeout_ms is not None and not ready:
                return

    def wait_end(self, call: PendingCall) -> None:
        """Waits until ``call`` (cancelled) has ended, through any ``KeyboardInterrupt``; its
        events are dropped.

        A signal's exception can come between the library handing over the call's end and its
        dispatch here; the end is then lost. So the wait is in steps, and a call the library no
        longer knows (its end was taken) is ended as cancelled instead of waited for forever."""
        while not call.ended and self._pointer is not None:
            try:
                self.wait(call, _END_STEP_MS)
                call.events.clear()
                self._end_if_lost(call)
            except KeyboardInterrupt:
                continue

    def _end_if_lost(self, call: PendingCall) -> None:
        """Ends ``call`` as cancelled when the library no longer has it (its end was taken but
        never handed over)."""
        with self._registry:  # no other thread is between taking an item and handing it over
            pointer = self._pointer
            if call.ended or pointer is None:
                return
            code, _ = native.call_json(
                "gumloop_poller_cancel_call", pointer, c_uint64(call.call_id)
            )
            if code != OK:
                self._calls.pop(call.call_id, None)
                call.failure = error_from_call(
                    *cancelled_before_start("the call was cancelled; its end was lost to a signal")
                )

    def close(self, error: BaseException) -> None:
        super().close(error)
        with self._cond:
            self._cond.notify_all()


#: How long :meth:`SyncPoller.wait_end` waits between checks that the call is still known.
_END_STEP_MS = 200

_local = threading.local()


def thread_poller() -> SyncPoller:
    """This thread's poller for blocking calls (made on first use, and again after a fork)."""
    poller: Optional[SyncPoller] = getattr(_local, "poller", None)
    if poller is None or not poller.usable:
        poller = _local.poller = SyncPoller()
    return poller


class _Token(Protocol):
    """What :func:`run_blocking` needs of a :class:`~gumloop_ffi.CancelToken`."""

    @property
    def cancelled(self) -> bool: ...

    def _attach(self, call: PendingCall) -> None: ...

    def _detach(self, call: PendingCall) -> None: ...


def cancelled_before_start(
    message: str = "the call was cancelled before it started; nothing was sent",
) -> Outcome:
    """The outcome of a call whose token was triggered before it started: nothing was sent."""
    code = CODES["GUMLOOP_ERR_CANCELLED"]
    info: Dict[str, Any] = dict.fromkeys(DOCUMENT_FIELDS)
    info.update(kind="GUMLOOP_ERR_CANCELLED", gumloop_code=code, message=message, retryable=False)
    return code, json.dumps({"error": info})


def run_blocking(
    client_pointer: int, request: Request, token: Optional[_Token]
) -> Tuple[int, Optional[str], bytes]:
    """Runs ``request`` on this thread's poller and waits for its end, on this thread: its
    code, its result or error document, and the bytes of a bytes operation.

    ``token`` (a CancelToken) cancels it from any thread. A ``KeyboardInterrupt`` while waiting
    (Ctrl-C on the main thread) cancels the call, collects its end, and goes on with the
    call's error as its ``__cause__`` and a note saying what the call may have done.
    """
    if token is not None and token.cancelled:
        return cancelled_before_start() + (b"",)
    poller = thread_poller()
    call = poller.start(client_pointer, request)
    if token is not None:
        token._attach(call)
    try:
        _wait_interruptibly(poller, call)
    finally:
        if token is not None:
            token._detach(call)
    return call.outcome_now() + (call.data,)


def _wait_interruptibly(poller: SyncPoller, call: PendingCall) -> None:
    try:
        while not call.ended:
            poller.wait(call)
    except KeyboardInterrupt as interrupt:
        call.cancel()
        poller.wait_end(call)
        annotate_interrupt(interrupt, call.result)
        raise


def annotate_interrupt(interrupt: KeyboardInterrupt, result: Optional[Outcome]) -> None:
    """Notes on ``interrupt`` what the interrupted call may have done, and sets its error as
    the ``__cause__``."""
    if result is None:
        return
    code, text = result
    add_note = getattr(interrupt, "add_note", None)
    if add_note is not None:
        add_note(interrupted_note(code, text))
    if code != OK:
        interrupt.__cause__ = error_from_call(code, text)


class AsyncPoller(NativePoller):
    """A poller whose descriptor an asyncio event loop watches."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self.loop = loop
        loop.add_reader(self.fd, self.drain)

    def close(self, error: BaseException) -> None:
        if self._pointer is not None and os.getpid() == self.pid and not self.loop.is_closed():
            self.loop.remove_reader(self.fd)
        super().close(error)
