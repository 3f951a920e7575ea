"""Keeping Python callbacks alive while C may call them.

libgumloop's streaming calls block and invoke a callback on the calling thread for each event
(the callback returns 0 to go on and non-zero to stop); ``_stream`` makes those calls on a
worker thread. Two rules make a callback safe from Python, and this module keeps both:

1. **Lifetime.** A ctypes function pointer (``CFUNCTYPE(...)(fn)``) is freed when its Python
   object is collected; C calling it afterwards crashes the process. A :class:`CallbackScope`
   holds every pointer it made, and is itself held in a module-level registry, until the ``with``
   block around the C call exits, i.e. after C has returned and can no longer call. A pointer
   that C keeps beyond one call (a process-wide hook) is held with :func:`pin` until
   :func:`unpin`.
2. **Exceptions.** ctypes cannot carry a Python exception through C: it prints it and returns
   garbage. The trampoline catches whatever the callback raises, records it, returns the
   "stop" value to C, refuses to run the callback again in that scope, and the scope re-raises
   the exception once the C call has returned.

Typical use, for ``gumloop_client_stream_session(client, ..., callback, user_data, ...)``::

    with CallbackScope() as scope:
        c_callback = scope.wrap(EVENT_CALLBACK, on_event, stop=1)
        code, text = native.call_json("gumloop_...", handle, ..., c_callback, None)
    # here any exception from on_event has been re-raised
"""

from __future__ import annotations

import os
import threading
from typing import Any, Callable, Dict, List, Optional, Set, Type

_lock = threading.Lock()
_active_scopes: Set["CallbackScope"] = set()
_pinned: Dict[str, Any] = {}


class CallbackScope:
    """Holds the C function pointers of one foreign call, and the first exception raised in them."""

    def __init__(self) -> None:
        self._pointers: List[Any] = []
        self.error: Optional[BaseException] = None

    def wrap(self, functype: Type[Any], function: Callable[..., Any], *, stop: Any) -> Any:
        """A C function pointer of ``functype`` that calls ``function``.

        When ``function`` raises, or raised before in this scope, the pointer returns ``stop``
        to C instead.
        """

        def trampoline(*args: Any) -> Any:
            if self.error is not None:
                return stop
            try:
                return function(*args)
            except BaseException as error:  # noqa: B902 - carried to the caller, not swallowed
                self.error = error
                return stop

        pointer = functype(trampoline)
        self._pointers.append(pointer)
        return pointer

    def __enter__(self) -> "CallbackScope":
        with _lock:
            _active_scopes.add(self)
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        with _lock:
            _active_scopes.discard(self)
        self._pointers.clear()
        if exc is None and self.error is not None:
            error, self.error = self.error, None
            raise error


def _after_fork_in_child() -> None:
    # Another thread of the parent may have held the lock at the fork; it does not exist here.
    global _lock
    _lock = threading.Lock()
    _active_scopes.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def active_scopes() -> int:
    """How many scopes are holding callbacks right now (for tests and diagnostics)."""
    with _lock:
        return len(_active_scopes)


def pin(key: str, pointer: Any) -> None:
    """Holds ``pointer`` (a C function pointer that C keeps) until :func:`unpin` ``(key)``."""
    with _lock:
        _pinned[key] = pointer


def unpin(key: str) -> None:
    """Releases a pointer held by :func:`pin`; call it only once C can no longer call it."""
    with _lock:
        _pinned.pop(key, None)
