"""One libgumloop poller (``gumloop_poller``) watched by one asyncio event loop.

Calls start with ``gumloop_poller_start_call``, which never blocks; they run as tasks on the
library's runtime (no thread per call). The loop watches the poller's file descriptor with
``loop.add_reader``; when it is readable, :meth:`Poller._on_readable` takes every ready item
(``gumloop_poller_take_item``) on the loop's thread and hands it to its :class:`PendingCall`:
a stream event is queued for the stream's consumer, a call's end resolves its future. Nothing
runs on the library's threads.

Cancelling a call (``gumloop_poller_cancel_call``) stops its task and closes its connection at
once. Closing the poller cancels every call in flight. A stream's events wait in the library
under its 1 MiB in-flight budget until taken; once taken they wait in :attr:`PendingCall.events`
for the consumer.
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import weakref
from collections import deque
from ctypes import c_uint32, c_uint64, c_void_p
from typing import Deque, Dict, Optional, Tuple

from ._errors import error_from_call
from ._native import ITEM_DONE, ITEM_EVENT, ITEM_NONE, OK, c_gumloop_code, native
from ._requests import Request

#: A call's outcome: its code and its result or error document.
Outcome = Tuple[int, Optional[str]]


class PendingCall:
    """One call in flight on a poller: its events not yet consumed and, once ended, its outcome
    (or the error that ended it from the Python side, such as the client being closed)."""

    __slots__ = ("call_id", "poller", "events", "result", "failure", "_waiter", "__weakref__")

    def __init__(self, call_id: int, poller: "Poller") -> None:
        self.call_id = call_id
        self.poller = poller
        self.events: Deque[bytes] = deque()
        self.result: Optional[Outcome] = None
        self.failure: Optional[BaseException] = None
        self._waiter: Optional["asyncio.Future[None]"] = None

    @property
    def ended(self) -> bool:
        return self.result is not None or self.failure is not None

    async def changed(self) -> None:
        """Waits until an event arrives or the call ends (returns at once if either is so)."""
        if self.events or self.ended:
            return
        waiter = self.poller.loop.create_future()
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
        if self.failure is not None:
            raise self.failure
        assert self.result is not None
        return self.result

    def cancel(self) -> None:
        """Cancels the call unless it has ended (its connection closes at once)."""
        if not self.ended:
            self.poller.cancel(self.call_id)

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)


#: Every open poller, so that a forked child can disown the ones it inherited.
_live_pollers: "weakref.WeakSet[Poller]" = weakref.WeakSet()


class Poller:
    """A ``gumloop_poller`` whose file descriptor ``loop`` watches."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        pointer = c_void_p()
        code, text = native.call_json("gumloop_poller_new", None, ctypes.byref(pointer))
        if code != OK or not pointer.value:
            raise error_from_call(code, text)
        self.loop = loop
        self.pid = os.getpid()
        self._pointer: Optional[int] = pointer.value
        self._calls: Dict[int, PendingCall] = {}
        #: Items taken so far (for tests and diagnostics).
        self.items_taken = 0
        self._fd: int = native.functions["gumloop_poller_get_fd"](pointer.value)
        self._id = c_uint64()
        self._kind = c_uint32()
        self._code = c_gumloop_code()
        self._json = c_void_p()
        loop.add_reader(self._fd, self._on_readable)
        self._finalizer = weakref.finalize(self, native.functions["gumloop_poller_free"], pointer.value)
        self._finalizer.atexit = False
        _live_pollers.add(self)

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
        # NULL as "no data" and refuses the upload), so an empty upload goes through as by the
        # blocking function. (ctypes passes b"" as non-NULL anyway; this does not rely on it.)
        code, text = native.call_json(
            "gumloop_poller_start_call",
            self._pointer,
            client_pointer,
            request.operation.encode(),
            request.args_json(),
            None if data is None else (data or b"\0"),
            0 if data is None else len(data),
            ctypes.byref(call_id),
        )
        if code != OK:
            raise error_from_call(code, text)
        call = PendingCall(call_id.value, self)
        self._calls[call.call_id] = call
        return call

    def cancel(self, call_id: int) -> None:
        if self._pointer is None or call_id not in self._calls:
            return
        # An ID whose end was taken meanwhile is refused: nothing to cancel then.
        native.call_json("gumloop_poller_cancel_call", self._pointer, c_uint64(call_id))

    def _on_readable(self) -> None:
        """Takes every ready item, on the loop's thread."""
        take = native.functions["gumloop_poller_take_item"]
        refs = (
            ctypes.byref(self._id),
            ctypes.byref(self._kind),
            ctypes.byref(self._code),
            ctypes.byref(self._json),
        )
        while self._pointer is not None:
            code = take(self._pointer, *refs)
            kind = self._kind.value
            pointer = self._json.value
            text = ctypes.string_at(pointer) if pointer else None
            if pointer:
                native.functions["gumloop_string_free"](pointer)
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
                call.result = (self._code.value, None if text is None else text.decode("utf-8", "replace"))
            call._wake()

    def close(self, error: BaseException) -> None:
        """Cancels every call in flight (their waiters raise ``error``) and frees the poller."""
        if self._pointer is None:
            return
        self._pointer = None
        if os.getpid() == self.pid and not self.loop.is_closed():
            self.loop.remove_reader(self._fd)
        self._finalizer()
        calls = list(self._calls.values())
        self._calls.clear()
        for call in calls:
            call.failure = error
            call._wake()

    def _after_fork_in_child(self) -> None:
        # The poller's calls run only in the parent: the child forgets them, never frees the
        # poller (the library refuses a parent's poller in a child) and makes a new one.
        self._pointer = None
        self._finalizer.detach()
        self._calls.clear()


def _after_fork_in_child() -> None:
    for poller in list(_live_pollers):
        poller._after_fork_in_child()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)

