"""The exceptions, and the mapping from libgumloop's error documents to them.

Every failed library call yields an error document, ``{"error": {...}}`` with the fields of
:data:`DOCUMENT_FIELDS` (None where unknown), plus :data:`STREAM_FIELD` when a stream failed.
The class is chosen from ``gumloop_code``; the whole document is kept in
:attr:`GumloopError.document`.

The codes are the library's: :data:`CODES` and the class of each code are read at import from
the library's description (``gumloop_description_get``: each code's group and error stem), so a
number is written only in the library. A code's class is ``<stem>Error`` (the stems are those
of every binding: ``RateLimit`` -> :class:`RateLimitError`, ...), and it is always also an
instance of its group's class (``InvalidArgument``, ``APIConnection``, ``APIStatus``,
``InvalidResponse``, ``Internal``): where ``<stem>Error`` alone is not, the code's class is a
subclass of both (e.g. a missing credential is an :class:`AuthenticationError` and an
:class:`InvalidArgumentError`: nothing was sent).

Hierarchy::

    GumloopError
    ├── AuthenticationError            no credential (nothing sent), or HTTP 401
    │   └── UnauthorizedError          HTTP 401 (also an APIStatusError)
    ├── APIStatusError                 the server answered with an error status
    │   ├── BadRequestError            400
    │   ├── UnauthorizedError          401 (also an AuthenticationError)
    │   ├── PermissionDeniedError      403
    │   ├── NotFoundError              404
    │   ├── ConflictError              409
    │   ├── RateLimitError             429 (see retry_after)
    │   └── InternalServerError        5xx
    ├── APIConnectionError             transport failures (codes 100-199)
    │   ├── APITimeoutError            a time limit ran out (the request may have arrived)
    │   └── CancelledError             a CancelToken ended the call
    ├── InvalidResponseError           the server's answer could not be used (codes 300-399)
    │   └── StreamIncompleteError      a stream ended before its final event and could not resume
    │   └── PayloadTooLargeError       413
    ├── InvalidArgumentError           caller errors (codes 1-99): nothing was sent; a ValueError
    │   ├── InvalidArgumentTypeError   an argument of the wrong type; also a TypeError
    │   └── WrongThreadError           a handle used where it cannot be (a parent's poller after
    │                                  fork()); also a RuntimeError
    ├── InternalError                  a bug in the library (codes 900-999)
    └── ClientClosedError              the client was closed; also a RuntimeError
"""

from __future__ import annotations

import json
from typing import Any, Dict, Mapping, Optional, Tuple, Type

from ._description import CODE_TABLE, ERROR_FIELDS, GROUPS
from ._native import native

#: The fields of every error document's ``error`` object, as the library writes them (read from
#: its description).
DOCUMENT_FIELDS: Tuple[str, ...] = tuple(ERROR_FIELDS)

#: The field only a failed stream's document has: the stream summary.
STREAM_FIELD = "stream"

#: Every code of the loaded library, by its constant's name, e.g.
#: ``CODES["GUMLOOP_ERR_CONFLICT"] == 204`` (from its description).
CODES: Dict[str, int] = {entry["name"]: entry["code"] for entry in CODE_TABLE}


class GumloopError(Exception):
    """The root of every error this package raises.

    Attributes:
        message: a human-readable description (never contains a credential).
        kind: the library's constant name, e.g. ``"GUMLOOP_ERR_CONFLICT"``.
        gumloop_code: the library's numeric ``gumloop_code``, e.g. ``204``; None only for errors
            of the Python layer that have no library code (:class:`ClientClosedError`).
        document: the full error document, ``{"error": {...}}``, as the library produced it.
    """

    message: str
    kind: str
    gumloop_code: Optional[int]
    document: Dict[str, Any]

    def __init__(self, message: str, document: Optional[Mapping[str, Any]] = None) -> None:
        super().__init__(message)
        self.message = message
        self.document = dict(document) if document is not None else {"error": {}}
        info = self._info
        kind = info.get("kind")
        code = info.get("gumloop_code")
        self.kind = kind if isinstance(kind, str) else "GUMLOOP_ERR_UNKNOWN"
        self.gumloop_code = code if isinstance(code, int) and not isinstance(code, bool) else None

    @property
    def _info(self) -> Dict[str, Any]:
        inner = self.document.get("error")
        return inner if isinstance(inner, dict) else {}

    @property
    def param(self) -> Any:
        """The argument, option or request field the error is about, when known."""
        return self._info.get("param")

    @property
    def details(self) -> Any:
        """Structured details: the server's for an error status; for a ``wait`` that timed
        out, ``{"last_state"}``; for a write that may have taken effect (a time-out, a lost
        connection, a cancellation in flight), ``may_have_created`` (``"session"`` or
        ``"message"``) and ``session_id`` when known, added to the server's."""
        return self._info.get("details")

    @property
    def retryable(self) -> bool:
        """Whether repeating the same call later may succeed (the library's judgement)."""
        return self._info.get("retryable") is True

    @property
    def attempts(self) -> Optional[int]:
        """How many requests the call made (more than 1 when the library retried it); None for
        errors of the Python layer."""
        value = self._info.get("attempts")
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def trace_id(self) -> Optional[str]:
        """The server's trace ID, when it sent one."""
        value = self._info.get("trace_id")
        return value if isinstance(value, str) else None

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, kind={self.kind!r})"

    def __reduce__(self) -> Any:
        # Keep message and document across pickling (multiprocessing hands errors around).
        return (type(self), (self.message, self.document))


class AuthenticationError(GumloopError):
    """No credential was given or found (nothing was sent), or the server answered HTTP 401."""


class APIStatusError(GumloopError):
    """The server answered with an error status.

    The attribute names are those of the official SDK: ``status_code``, ``code``, ``type``,
    ``param``, ``details``, ``body``, plus ``message``.
    """

    @property
    def status_code(self) -> int:
        """The HTTP status."""
        status = self._info.get("status")
        return status if isinstance(status, int) else 0

    @property
    def code(self) -> Optional[str]:
        """The server's error code, e.g. ``"session_already_exists"``."""
        value = self._info.get("code")
        return value if isinstance(value, str) else None

    @property
    def body(self) -> Any:
        """The server's whole error body: parsed JSON, or the text when it was not JSON."""
        return self._info.get("body")

    @property
    def error(self) -> Any:
        """The ``error`` member of the server's body (an object or a string), if any."""
        body = self.body
        return body.get("error") if isinstance(body, dict) else None

    @property
    def retry_after(self) -> Optional[float]:
        """How long the server asked to wait before trying again (``Retry-After``), in seconds."""
        value = self._info.get("retry_after_ms")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value / 1000.0
        return None

    # Last, so that the name `type` still means the builtin above.
    @property
    def type(self) -> Optional[str]:
        """The server's error type, e.g. ``"invalid_request_error"``."""
        value = self._info.get("type")
        return value if isinstance(value, str) else None


class BadRequestError(APIStatusError):
    """HTTP 400: the server rejected the request."""


class UnauthorizedError(AuthenticationError, APIStatusError):
    """HTTP 401: missing or invalid credentials."""


class PermissionDeniedError(APIStatusError):
    """HTTP 403: the caller may not do this."""


class NotFoundError(APIStatusError):
    """HTTP 404: the agent or session does not exist."""


class ConflictError(APIStatusError):
    """HTTP 409: for example an existing ``session_id`` (``session_already_exists``)."""


class RateLimitError(APIStatusError):
    """HTTP 429: a concurrency or rate limit was hit; :attr:`retry_after` says how long to wait."""


class InternalServerError(APIStatusError):
    """HTTP 5xx: the server failed."""


class APIConnectionError(GumloopError):
    """The exchange with the server failed (codes 100-199): no connection, TLS, a lost
    connection, a refused redirect. Whether the request arrived depends on :attr:`kind`."""


class APITimeoutError(APIConnectionError):
    """A time limit ran out; the request may have reached the server."""


class CancelledError(APIConnectionError):
    """A :class:`~gumloop_ffi.CancelToken` ended the call (``GUMLOOP_ERR_CANCELLED``); the
    request may have reached the server."""


class InvalidResponseError(GumloopError):
    """The server's answer could not be used: not JSON, or larger than ``max_response_bytes``."""

    @property
    def status_code(self) -> Optional[int]:
        status = self._info.get("status")
        return status if isinstance(status, int) else None


class StreamIncompleteError(InvalidResponseError):
    """A stream ended before its final event and the library could not resume it
    (``GUMLOOP_ERR_STREAM_INCOMPLETE``). :attr:`summary` says how far it got: resume from its
    ``last_cursor`` with ``sessions.resume_stream``."""

    @property
    def summary(self) -> Dict[str, Any]:
        """The stream summary, ``{"session_id", "last_cursor", "finish_reason", "final",
        "events", "resumes"}`` (empty when the library sent none)."""
        summary = self._info.get("stream")
        return summary if isinstance(summary, dict) else {}


class InvalidArgumentError(GumloopError, ValueError):
    """An argument or option is not acceptable (codes 1-99). Nothing was sent.

    :attr:`param` names the argument.
    """


class InvalidArgumentTypeError(InvalidArgumentError, TypeError):
    """An argument has the wrong type. Nothing was sent."""


class ClientClosedError(GumloopError, RuntimeError):
    """The client was used after :meth:`Client.close`."""


class PayloadTooLargeError(APIStatusError):
    """HTTP 413: the request (an upload) is larger than the server takes."""


class WrongThreadError(InvalidArgumentError, RuntimeError):
    """A handle was used where it cannot be, e.g. a poller made before ``fork()`` in the
    child."""


class InternalError(GumloopError):
    """A bug in the library (codes 900-999); please report it with the error document."""


def stem_class(stem: Optional[str]) -> Optional[Type[GumloopError]]:
    """The class named ``<stem>Error`` in this module, or None when there is none."""
    if stem is None:
        return None
    found = globals().get(f"{stem}Error")
    return found if isinstance(found, type) and issubclass(found, GumloopError) else None


def _both(cls: Type[GumloopError], base: Type[GumloopError]) -> Type[GumloopError]:
    """A class that is both ``cls`` and ``base`` (``cls`` itself when it already is)."""
    if issubclass(cls, base):
        return cls
    return type(cls.__name__, (cls, base), {"__module__": __name__, "__doc__": cls.__doc__})


def _group_classes() -> Tuple[Tuple[int, int, Type[GumloopError]], ...]:
    out = []
    for group in GROUPS:
        cls = stem_class(group.get("error"))
        if cls is not None:
            out.append((int(group["first"]), int(group["last"]), cls))
    return tuple(out)


#: (first, last, class) of each group of codes: the base of its codes' classes.
_BY_GROUP = _group_classes()


def _group_class(code: int) -> Type[GumloopError]:
    for first, last, cls in _BY_GROUP:
        if first <= code <= last:
            return cls
    return GumloopError


def _code_classes() -> Dict[int, Type[GumloopError]]:
    out: Dict[int, Type[GumloopError]] = {}
    for entry in CODE_TABLE:
        code = int(entry["code"])
        group = _group_class(code)
        # A stem this package has no class for (a newer library) falls back to its group's.
        out[code] = _both(stem_class(entry.get("error")) or group, group)
    return out


#: The class of each code of the library.
_BY_CODE: Dict[int, Type[GumloopError]] = _code_classes()


def class_for(code: int) -> Type[GumloopError]:
    """The exception class of ``code`` (its group's for a code the library does not list)."""
    found = _BY_CODE.get(code)
    return found if found is not None else _group_class(code)


def error_from_call(code: int, text: Optional[str]) -> GumloopError:
    """The exception for a failed call that returned ``code`` and the error document ``text``.

    When the document is missing or unreadable, the library's name and message for ``code``
    stand in for it.
    """
    document: Optional[Dict[str, Any]] = None
    if text:
        try:
            parsed = json.loads(text)
        except (ValueError, RecursionError):
            parsed = None
        if isinstance(parsed, dict) and isinstance(parsed.get("error"), dict):
            document = parsed
    if document is None:
        name, message = native.code_name(code), native.code_message(code)
        if text:
            message = f"{message}: {text}"
        document = {"error": {"kind": name, "gumloop_code": code, "message": message}}
    info = document["error"]
    message = info.get("message")
    if not isinstance(message, str) or not message:
        message = f"{info.get('kind', 'GUMLOOP_ERR_UNKNOWN')} (gumloop_code {code})"
    return class_for(code)(message, document)


def python_error(kind: str, message: str, **fields: Any) -> GumloopError:
    """An error found by the Python layer, in the library's document shape: ``kind`` is the
    library's constant name (its number comes from :data:`CODES`), ``fields`` set the document's
    other fields; the rest are None."""
    code = CODES[kind]
    info: Dict[str, Any] = dict.fromkeys(DOCUMENT_FIELDS)
    info.update(kind=kind, gumloop_code=code, message=message, retryable=False, **fields)
    return class_for(code)(message, {"error": info})


def invalid_argument(param: str, message: str, *, wrong_type: bool = False) -> InvalidArgumentError:
    """A caller error found by the Python layer, in the library's document shape."""
    error = python_error("GUMLOOP_ERR_INVALID_ARGUMENT", message, param=param)
    cls = InvalidArgumentTypeError if wrong_type else InvalidArgumentError
    return cls(message, error.document)


def client_closed(what: str = "client") -> ClientClosedError:
    message = f"the {what} is closed" + ("; create a new Client" if what == "client" else "")
    return ClientClosedError(
        message,
        {"error": {"kind": "GUMLOOP_CLIENT_CLOSED", "gumloop_code": None, "message": message}},
    )


def interrupted_note(code: int, text: Optional[str]) -> str:
    """What a call ended by Ctrl-C may have done, from the library's answer (``code``, ``text``):
    the note on the ``KeyboardInterrupt``."""
    try:
        document = json.loads(text) if text else None
    except (ValueError, RecursionError):
        document = None
    if not isinstance(document, dict):
        return "gumloop: the call was interrupted"
    if code == 0:
        session = document.get("session")
        sid = session.get("id") if isinstance(session, dict) else None
        done = "gumloop: the call had completed when it was interrupted"
        return f"{done} (session {sid!r})" if isinstance(sid, str) else done
    error = document.get("error")
    details = error.get("details") if isinstance(error, dict) else None
    made = details.get("may_have_created") if isinstance(details, dict) else None
    sid = details.get("session_id") if isinstance(details, dict) else None
    if not isinstance(made, str):
        return "gumloop: the call was interrupted and cancelled"
    where = f"session {sid!r}" if isinstance(sid, str) else "its ID is not known"
    return (
        f"gumloop: the call was interrupted and cancelled; it may have created a {made} "
        f"({where}): check before repeating it (the __cause__'s details say the same)"
    )
