"""The Pythonic API: :class:`Client`, its ``sessions`` resource, and :func:`create_session`."""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import threading
import weakref
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

from . import _args
from ._callbacks import CallbackScope
from ._errors import ERR_CANCELLED, client_closed, error_from_call, invalid_argument
from ._native import EVENT_CALLBACK, OK, native
from ._types import GumloopObject, SessionResponse, parse_object, parse_session_response

#: What ``input`` may be: text, or a list of content parts (objects or strings).
Input = Union[str, Sequence[Union[str, Mapping[str, Any]]]]

_ERR_INVALID_RESPONSE = 300
_ERR_WRONG_THREAD = 8


def _describe(code: int) -> Tuple[str, str]:
    return native.code_name(code), native.code_message(code)


def _raise_for(code: int, text: Optional[str]) -> None:
    if code != OK:
        raise error_from_call(code, text, _describe)


def _session_response(text: Optional[str]) -> SessionResponse:
    """Parses a successful answer; an unusable one raises InvalidResponseError."""
    try:
        if text is None:
            raise ValueError("the library returned no text")
        return parse_session_response(text)
    except ValueError as error:
        message = f"the server's answer cannot be read as a session: {error}"
        document = {
            "error": {
                "kind": "GUMLOOP_ERR_INVALID_RESPONSE",
                "gumloop_code": _ERR_INVALID_RESPONSE,
                "message": message,
                "body": text,
            }
        }
        raise error_from_call(_ERR_INVALID_RESPONSE, _json_text(document), _describe) from None


def _json_text(value: Any) -> str:
    return json.dumps(value)


class _Handle:
    """A library handle (``gumloop_client *``, ``gumloop_cancel *``) with the bookkeeping that
    makes sharing and closing it safe.

    Calls register themselves for their duration; :meth:`close` marks the handle closed (new
    calls then fail at once), waits for the calls in flight to return, and frees the C client.
    The C client itself is thread-safe, so calls run concurrently, each with the GIL released.
    """

    def __init__(self, pointer: int, free: Callable[[int], None], what: str = "client") -> None:
        self.pointer = pointer
        self._what = what
        self._cond = threading.Condition(threading.Lock())
        self._in_flight = 0
        self._closed = False
        self._local = threading.local()
        # Frees the C client when this object is collected without close(). Not at interpreter
        # exit: daemon threads may still be inside a call then, and the OS reclaims the memory.
        self._finalizer = weakref.finalize(self, free, pointer)
        self._finalizer.atexit = False

    @property
    def closed(self) -> bool:
        return self._closed

    @contextlib.contextmanager
    def use(self) -> Iterator[int]:
        """Holds the handle open for one call."""
        with self._cond:
            if self._closed:
                raise client_closed(self._what)
            self._in_flight += 1
        depth: int = getattr(self._local, "depth", 0)
        self._local.depth = depth + 1
        try:
            yield self.pointer
        finally:
            self._local.depth = depth
            with self._cond:
                self._in_flight -= 1
                if self._in_flight == 0:
                    self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            if self._closed:
                return
            if getattr(self._local, "depth", 0):
                message = (
                    f"the {self._what} was closed from inside a call that uses it (a "
                    "callback); close it after the call returns"
                )
                raise error_from_call(
                    _ERR_WRONG_THREAD,
                    _json_text(
                        {
                            "error": {
                                "kind": "GUMLOOP_ERR_WRONG_THREAD",
                                "gumloop_code": _ERR_WRONG_THREAD,
                                "message": message,
                            }
                        }
                    ),
                )
            self._closed = True
            self._cond.wait_for(lambda: self._in_flight == 0)
        self._finalizer()


class CancelToken:
    """A cancellation token (``gumloop_cancel``): pass it to calls as ``cancel=``, and call
    :meth:`cancel` from any thread to end them with :class:`~gumloop_ffi.CancelledError`.

    A blocked foreign call cannot be interrupted by Ctrl-C; a token can end it. One token may
    serve many calls; once triggered it stays triggered. It is freed by :meth:`close` (which
    waits for calls using it) or when collected.
    """

    def __init__(self) -> None:
        self._handle = _Handle(native.cancel_new(), native.cancel_free, "cancel token")

    def cancel(self) -> None:
        """Ends every call that uses this token. Safe from any thread, any number of times."""
        with self._handle.use() as pointer:
            native.cancel_trigger(pointer)

    @property
    def cancelled(self) -> bool:
        with self._handle.use() as pointer:
            return native.cancel_is_triggered(pointer)

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> "CancelToken":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


@contextlib.contextmanager
def _maybe_cancel(cancel: Optional[CancelToken]) -> Iterator[Optional[int]]:
    """Holds ``cancel`` open for one call and gives its pointer (None for no token)."""
    if cancel is None:
        yield None
        return
    if not isinstance(cancel, CancelToken):
        raise invalid_argument(
            "cancel",
            f"`cancel` must be a CancelToken or None, not {_args.type_name(cancel)}",
            wrong_type=True,
        )
    with cancel._handle.use() as pointer:
        yield pointer


def _create_body(
    input: Optional[Input],
    session_id: Optional[str],
    name: Optional[str],
    metadata: Optional[Mapping[str, Any]],
    incognito: Optional[bool],
    extra: Mapping[str, Any],
) -> bytes:
    body: Dict[str, Any] = {}
    if input is not None:
        if not isinstance(input, (str, list, tuple)):
            raise invalid_argument(
                "input",
                f"`input` must be a str or a list of content parts, not "
                f"{_args.type_name(input)}",
                wrong_type=True,
            )
        body["input"] = input if isinstance(input, str) else list(input)
    for key, value in (("session_id", session_id), ("name", name)):
        if _args.check_str(key, value) is not None:
            body[key] = value
    if _args.check_mapping("metadata", metadata) is not None:
        body["metadata"] = dict(metadata or {})
    if _args.check_bool("incognito", incognito) is not None:
        body["incognito"] = incognito
    for key, value in extra.items():
        if value is not None:
            body[key] = value
    return _args.json_bytes("body", body)


#: ``on_event`` of a streaming call: gets each event; returning True stops the stream.
EventHandler = Callable[[GumloopObject], Optional[bool]]


class Sessions:
    """``client.sessions``: the Sessions API."""

    def __init__(self, handle: _Handle) -> None:
        self._handle = handle

    def create(
        self,
        agent_id: str,
        input: Optional[Input] = None,
        *,
        session_id: Optional[str] = None,
        name: Optional[str] = None,
        metadata: Optional[Mapping[str, Any]] = None,
        incognito: Optional[bool] = None,
        cancel: Optional[CancelToken] = None,
        **extra: Any,
    ) -> SessionResponse:
        """Creates a session with ``agent_id``: ``POST /agents/{agent_id}/sessions``.

        Without ``input`` the server creates an idle stub (HTTP 201); with it the agent starts
        working (HTTP 202, state ``processing`` or ``queued``). ``agent_id`` may be an alias such
        as ``"gumball"``. Arguments left as None are not sent. ``extra`` fields (e.g.
        ``message=``, the alias of ``input``) are sent as given, except those that are None.
        ``cancel`` lets another thread end the call.

        Blocks until the server answers, with the GIL released. Raises an
        :class:`~gumloop_ffi.InvalidArgumentError` before sending anything when an argument is
        not acceptable, and an :class:`~gumloop_ffi.APIStatusError` subclass when the server
        refuses.
        """
        agent = _args.text("agent_id", agent_id)
        payload = _create_body(input, session_id, name, metadata, incognito, extra)
        with self._handle.use() as pointer, _maybe_cancel(cancel) as cancel_pointer:
            code, text = native.client_call(
                "gumloop_client_create_session", pointer, agent, payload, cancel_pointer
            )
        _raise_for(code, text)
        return _session_response(text)

    def stream(
        self,
        agent_id: str,
        input: Optional[Input] = None,
        *,
        on_event: EventHandler,
        session_id: Optional[str] = None,
        name: Optional[str] = None,
        metadata: Optional[Mapping[str, Any]] = None,
        incognito: Optional[bool] = None,
        cancel: Optional[CancelToken] = None,
        **extra: Any,
    ) -> GumloopObject:
        """Creates a session and streams its first run (``gumloop_client_stream_create``).

        ``on_event(event)`` runs on this thread for each event (a :class:`GumloopObject` with
        the server's fields: ``type``, ``stream_cursor``, ``delta``, ...), in order, each once
        even across the library's automatic resumes. Returning True stops the stream; the
        summary is then returned with ``stopped`` set to True. An exception raised by
        ``on_event`` stops the stream and propagates from this call. Returns the summary
        ``{"session_id", "last_cursor", "finish_reason", "final", "events", "resumes"}``.
        ``on_event`` must not call this client (the library refuses blocking calls there).
        """
        if not callable(on_event):
            raise invalid_argument(
                "on_event", "`on_event` must be callable", wrong_type=True
            )
        agent = _args.text("agent_id", agent_id)
        payload = _create_body(input, session_id, name, metadata, incognito, extra)
        stopped: List[bool] = []

        def deliver(_user_data: Optional[int], event: Optional[int], length: int) -> int:
            text = ctypes.string_at(event or 0, length).decode("utf-8", "replace")
            if on_event(parse_object(text)) is True:
                stopped.append(True)
                return 1
            return 0

        with self._handle.use() as pointer, _maybe_cancel(cancel) as cancel_pointer:
            with CallbackScope() as scope:
                callback = scope.wrap(EVENT_CALLBACK, deliver, stop=1)
                code, text = native.client_call(
                    "gumloop_client_stream_create",
                    pointer,
                    agent,
                    payload,
                    callback,
                    None,
                    cancel_pointer,
                )
        if stopped and code == ERR_CANCELLED:
            summary = _stream_summary_of_error(text)
            summary["stopped"] = True
            return summary
        _raise_for(code, text)
        try:
            return parse_object(text or "")
        except ValueError:
            return GumloopObject()


def _stream_summary_of_error(text: Optional[str]) -> GumloopObject:
    """The stream summary that an error document carries in ``details``."""
    try:
        document = parse_object(text or "")
    except ValueError:
        return GumloopObject()
    details = document.get("error", {}).get("details")
    return details if isinstance(details, GumloopObject) else GumloopObject()


class Client:
    """A Gumloop API client over one libgumloop client handle and its connection pool.

    Arguments left as None are not passed to the library, which then reads the environment as
    the official SDK does: ``GUMLOOP_ACCESS_TOKEN`` (then ``GUMLOOP_API_KEY``; both read again
    on every request), ``GUMLOOP_USER_ID``, ``GUMLOOP_TEAM_ID``, ``GUMLOOP_BASE_URL``,
    ``GUMLOOP_STREAM_BASE_URL``. ``access_token`` wins over ``api_key``.

    Timeouts are in seconds (floats allowed): ``timeout`` bounds a whole request (library
    default 90 s), ``connect_timeout`` the connection (30 s), ``stream_timeout`` the longest gap
    between two bytes of a stream (3600 s).

    Safe to share between threads: calls run concurrently, each with the GIL released.
    :meth:`close` (or leaving a ``with`` block) waits for calls in flight, then frees the
    handle; it is idempotent, and a call after it raises :class:`~gumloop_ffi.ClientClosedError`.
    A client that is garbage-collected without ``close()`` is freed then.

    Raises :class:`~gumloop_ffi.AuthenticationError` when no credential is given or found, and
    :class:`~gumloop_ffi.InvalidArgumentError` for an unacceptable option.
    """

    sessions: Sessions

    def __init__(
        self,
        api_key: Optional[str] = None,
        *,
        access_token: Optional[str] = None,
        user_id: Optional[str] = None,
        team_id: Optional[str] = None,
        base_url: Optional[str] = None,
        stream_base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        stream_timeout: Optional[float] = None,
        max_response_bytes: Optional[int] = None,
        ca_cert_path: Optional[Union[str, "os.PathLike[str]"]] = None,
        ca_cert_pem: Optional[str] = None,
        proxy: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        user_agent_suffix: Optional[str] = None,
        allow_insecure_http: Optional[bool] = None,
    ) -> None:
        options: Dict[str, Any] = {}
        for key, value in (
            ("access_token", access_token),
            ("api_key", api_key),
            ("user_id", user_id),
            ("team_id", team_id),
            ("base_url", base_url),
            ("stream_base_url", stream_base_url),
            ("ca_cert_pem", ca_cert_pem),
            ("proxy", proxy),
            ("user_agent_suffix", user_agent_suffix),
        ):
            if _args.check_str(key, value) is not None:
                options[key] = value
        for key, param, seconds in (
            ("timeout_ms", "timeout", timeout),
            ("connect_timeout_ms", "connect_timeout", connect_timeout),
            ("stream_idle_timeout_ms", "stream_timeout", stream_timeout),
        ):
            ms = _args.seconds_to_ms(param, seconds)
            if ms is not None:
                options[key] = ms
        size = _args.check_positive_int("max_response_bytes", max_response_bytes)
        if size is not None:
            options["max_response_bytes"] = size
        path = _args.check_path("ca_cert_path", ca_cert_path)
        if path is not None:
            options["ca_cert_path"] = path
        headers = _args.check_mapping("extra_headers", extra_headers)
        if headers is not None:
            for header, value in headers.items():
                if not isinstance(value, str):
                    raise invalid_argument(
                        "extra_headers",
                        f"extra header {header!r} must have a str value, not "
                        f"{_args.type_name(value)}",
                        wrong_type=True,
                    )
            options["extra_headers"] = dict(headers)
        if _args.check_bool("allow_insecure_http", allow_insecure_http) is not None:
            options["allow_insecure_http"] = allow_insecure_http

        code, pointer, text = native.client_new(_args.json_bytes("options", options))
        if code != OK or not pointer:
            if pointer:  # never happens by the C contract; do not leak it if it did
                native.client_free(pointer)
            raise error_from_call(code, text, _describe)
        self._handle = _Handle(pointer, native.client_free)
        self.sessions = Sessions(self._handle)

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._handle.closed

    def close(self) -> None:
        """Waits for calls in flight, then frees the client. Calling it again does nothing."""
        self._handle.close()

    def __enter__(self) -> "Client":
        if self._handle.closed:
            raise client_closed()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<gumloop_ffi.Client {'closed' if self.closed else 'open'}>"


def create_session(
    agent_id: str,
    body: Optional[Mapping[str, Any]] = None,
    access_token: Optional[str] = None,
    user_id: Optional[str] = None,
) -> SessionResponse:
    """Creates a session in one call, without a :class:`Client` (``gumloop_create_session``).

    ``body`` is the request body as a mapping, sent as given (None sends ``{}``). A None
    ``access_token`` reads ``GUMLOOP_ACCESS_TOKEN``, then ``GUMLOOP_API_KEY``; a None
    ``user_id`` reads ``GUMLOOP_USER_ID``. The base URL and team come from
    ``GUMLOOP_BASE_URL`` and ``GUMLOOP_TEAM_ID``. One-shot calls share one process-wide
    connection pool inside the library.
    """
    agent = _args.text("agent_id", agent_id)
    mapping = _args.check_mapping("body", body)
    payload = None if mapping is None else _args.json_bytes("body", dict(mapping))
    token = _args.optional_text("access_token", access_token)
    user = _args.optional_text("user_id", user_id)
    code, text = native.create_session(agent, payload, token, user)
    _raise_for(code, text)
    return _session_response(text)


def library_version() -> str:
    """The version the loaded libgumloop reports (``gumloop_version()``)."""
    return native.version()


def library_path() -> str:
    """The file the loaded libgumloop came from."""
    return native.path


def code_name(code: int) -> str:
    """The library's constant name for a ``gumloop_code``, e.g. ``"GUMLOOP_ERR_CONFLICT"``."""
    return native.code_name(code)


def code_message(code: int) -> str:
    """The library's one-line description of a ``gumloop_code``."""
    return native.code_message(code)

