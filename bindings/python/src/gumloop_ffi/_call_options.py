"""Options for the calls made inside a block: a time limit and extra request headers, for every
method of both clients (the library applies them to those calls' requests only).

>>> with gumloop_ffi.call_options(timeout=5, extra_headers={"x-tenant": "acme"}):
...     client.sessions.retrieve(session_id)

The options follow the context, as ``contextvars`` do: a thread or an asyncio task started
inside the block keeps them, others do not. Nested blocks add to the outer one's headers and
may replace its time limit; a method's own ``extra_headers=`` wins over the block's."""

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Dict, Iterator, Mapping, Optional

from . import _args
from ._errors import invalid_argument

#: The current block's options, as the library's ``request_options`` object.
_current: ContextVar[Optional[Dict[str, Any]]] = ContextVar("gumloop_ffi_call_options", default=None)


@contextmanager
def call_options(
    *, timeout: Optional[float] = None, extra_headers: Optional[Mapping[str, str]] = None
) -> Iterator[None]:
    """Applies ``timeout`` (seconds, the whole request's limit) and ``extra_headers`` to every
    call made inside the block. Bad values are refused here, before any call."""
    timeout_ms = _args.seconds_to_ms("timeout", timeout)
    headers = _args.check_mapping("extra_headers", extra_headers)
    merged: Dict[str, Any] = dict(_current.get() or {})
    if timeout_ms is not None:
        merged["timeout_ms"] = timeout_ms
    if headers is not None:
        for name, value in headers.items():
            if not isinstance(name, str) or not isinstance(value, str):
                raise invalid_argument(
                    "extra_headers", "`extra_headers` maps header names to string values", wrong_type=True
                )
        merged["extra_headers"] = {**merged.get("extra_headers", {}), **headers}
    reset = _current.set(merged)
    try:
        yield
    finally:
        _current.reset(reset)


def current() -> Dict[str, Any]:
    """The options of the block current here (a copy), or ``{}``."""
    options = _current.get()
    if options is None:
        return {}
    copy = dict(options)
    if "extra_headers" in copy:
        copy["extra_headers"] = dict(copy["extra_headers"])
    return copy
