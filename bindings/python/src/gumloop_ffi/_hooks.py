"""What runs on the caller's side around every call: the library's log records handed to
:mod:`logging` (logger ``gumloop_ffi``), and the tokens of a refresh handed to the client's
``on_tokens`` callback. The library never calls Python: both are pulled, on the thread (or event
loop) that made the call, after it ended.

Logs: the library's level follows the logger's effective level (``DEBUG`` -> ``debug``: every
request; ``INFO`` -> ``info``: failures, retries, resumes, recoveries, refreshes; ``WARNING`` ->
``warn``; ``ERROR`` -> ``error``; above -> ``off``), set before each call when it changed. Each
record becomes a :class:`logging.LogRecord` with the library's ``message``, and the whole
record (``event``, ``operation``, ``method``, ``path``, ``status``, ``attempt``, ...) as
``record.gumloop`` (and its ``event`` as ``record.gumloop_event``). Records never hold a token,
a user ID, a header, a body or a query.
"""

from __future__ import annotations

import json
import logging
import os
import select
import threading
from typing import Any, Callable, Dict, Optional

from ._native import native
from ._types import parse_object

#: The package's logger.
LOGGER = logging.getLogger("gumloop_ffi")

_FROM_LIBRARY = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warn": logging.WARNING,
    "error": logging.ERROR,
}


def _library_level(level: int) -> str:
    for name, threshold in sorted(_FROM_LIBRARY.items(), key=lambda item: item[1]):
        if level <= threshold:
            return name
    return "off"


class _Logs:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        #: Held by the thread taking records (a poll object serves one thread at a time).
        self.taking = threading.Lock()
        self.python_level: Optional[int] = None
        self.level = "off"
        fd = native.functions["gumloop_log_get_fd"]()
        self.poll: Optional["select.poll"] = None
        if fd >= 0:
            self.poll = select.poll()
            self.poll.register(fd, select.POLLIN)

    def sync_level(self) -> None:
        level = LOGGER.getEffectiveLevel()
        if level == self.python_level:
            return
        with self.lock:
            self.python_level = level
            self.level = _library_level(level)
            native.call_json("gumloop_log_set_level", self.level.encode())

    def drain(self) -> None:
        """Takes the waiting records, unless another thread is taking them right now."""
        if self.level == "off" or self.poll is None or not self.taking.acquire(blocking=False):
            return
        try:
            if not self.poll.poll(0):
                return
            code, text = native.call_json("gumloop_log_take")
        finally:
            self.taking.release()
        if code != 0 or not text:
            return
        taken = json.loads(text)
        for record in taken.get("records", []):
            if isinstance(record, dict):
                _emit(record)
        dropped = taken.get("dropped")
        if isinstance(dropped, int) and dropped > 0:
            LOGGER.warning("gumloop: %d log records were dropped (the queue was full)", dropped)


def _emit(record: Dict[str, Any]) -> None:
    level = _FROM_LIBRARY.get(str(record.get("level")), logging.INFO)
    message = record.get("message") or record.get("event") or "gumloop"
    LOGGER.log(
        level, "%s", message, extra={"gumloop": record, "gumloop_event": record.get("event")}
    )


_logs = _Logs()


def _after_fork_in_child() -> None:
    # Another thread of the parent may have held a lock at the fork; it does not exist here.
    _logs.lock = threading.Lock()
    _logs.taking = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def before_call() -> None:
    """Brings the library's log level in line with the logger's."""
    _logs.sync_level()


#: ``on_tokens(tokens)``: what a client calls with the token endpoint's answer of a refresh.
TokensCallback = Callable[[Any], None]


class TokenWatch:
    """A client's refreshes, seen from the caller's side: after a call, when the library's
    refresh count grew, the latest token pair is taken and handed to ``on_tokens``."""

    def __init__(self, on_tokens: Optional[TokensCallback]) -> None:
        self.on_tokens = on_tokens
        self.seen = 0
        self.lock = threading.Lock()

    def check(self, client_pointer: int) -> None:
        if self.on_tokens is None:
            return
        count: int = native.functions["gumloop_client_get_refresh_count"](client_pointer)
        if count == self.seen:
            return
        with self.lock:
            if count == self.seen:
                return
            self.seen = count
            code, text = native.call_json("gumloop_client_take_tokens", client_pointer)
        if code != 0 or not text:
            return
        taken = parse_object(text)
        tokens = taken.get("tokens")
        if tokens is not None:
            self.on_tokens(tokens)


def after_call(client_pointer: Optional[int], tokens: Optional[TokenWatch]) -> None:
    """After a call ended, on the caller's side: log records out, new tokens to ``on_tokens``
    (``client_pointer`` None: the client is gone, no tokens)."""
    _logs.drain()
    if tokens is not None and client_pointer is not None:
        tokens.check(client_pointer)
