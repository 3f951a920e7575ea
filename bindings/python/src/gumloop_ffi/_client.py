"""The Pythonic API: :class:`Client`, its ``sessions`` resource, and :func:`create_session`."""

from __future__ import annotations

import os
from typing import (
    Any,
    Callable,
    Dict,
    Iterator,
    Literal,
    Mapping,
    Optional,
    Sequence,
    Set,
    TypeVar,
    Union,
    overload,
)

from . import _args, _requests
from ._errors import (
    GumloopError,
    client_closed,
    error_from_call,
    interrupted_note,
    invalid_argument,
    python_error,
)
from ._handles import CancelToken, _Handle, call_cancellable, check_token
from ._access import SessionAccess
from ._agents import Agents
from ._approvals import SessionApprovals
from ._artifacts import Artifacts
from ._files import SessionFiles
from ._native import OK, native
from ._queue import SessionQueue
from ._raw import request_call
from ._resource import Resource, invalid_response, parsed, raise_for
from ._requests import Input, Request
from ._stream import EventStream
from ._types import (
    MessageReceipt,
    Session,
    SessionList,
    SessionResponse,
    parse_object,
    parse_session_list,
    parse_session_response,
)


_raise_for = raise_for
_invalid_response = invalid_response
_parsed = parsed


def _session_response(text: Optional[str]) -> SessionResponse:
    return _parsed(text, parse_session_response, "a session")


def _receipt(text: str) -> MessageReceipt:
    return MessageReceipt(parse_object(text))


def parse_page(text: Optional[str]) -> SessionList:
    """A page of ``list_sessions``."""
    return _parsed(text, parse_session_list, "a page of sessions")


def send_answer(text: Optional[str], delivery: Optional[str]) -> Union[SessionResponse, MessageReceipt]:
    """The answer of ``send_message``: a receipt for a queued message, else the envelope."""
    if delivery == "queued":
        return _parsed(text, _receipt, "a message receipt")
    return _session_response(text)


def next_page_query(
    query: Dict[str, Any], cursor: Optional[str], seen: Set[str]
) -> Optional[Dict[str, Any]]:
    """The query of the page after one whose ``next_cursor`` is ``cursor`` (None: the last)."""
    if not cursor:
        return None
    if cursor in seen:  # a server bug would otherwise make a listing loop forever
        raise _invalid_response(f"the server sent next_cursor {cursor!r} a second time", None)
    seen.add(cursor)
    return dict(query, cursor=cursor)


class Sessions(SessionFiles, SessionApprovals, SessionQueue, SessionAccess, Resource):
    """``client.sessions``: the Sessions API.

    Every method blocks until the server answers, with the GIL released, and takes ``cancel=``,
    a :class:`~gumloop_ffi.CancelToken` that another thread can trigger to end the call with
    :class:`~gumloop_ffi.CancelledError`. On the main thread Ctrl-C ends any call at once: it is
    cancelled, and the ``KeyboardInterrupt`` carries the call's ``CancelledError`` as its
    ``__cause__`` (whose ``details`` say ``may_have_created``, ``"session"`` or ``"message"``,
    and the ``session_id``, for a write that may have taken effect) and, on Python 3.11 and
    later, a note saying the same. Arguments left as None are not sent. An argument that
    is not acceptable raises :class:`~gumloop_ffi.InvalidArgumentError` before anything is sent;
    a refusal by the server raises an :class:`~gumloop_ffi.APIStatusError` subclass.

    The streaming methods (:meth:`stream`, :meth:`stream_message`, :meth:`resume_stream`) return
    an :class:`~gumloop_ffi.EventStream`, a generator of events that sends nothing until it is
    first iterated.
    """

    def __init__(self, handle: _Handle) -> None:
        self._handle = handle

    def _call(self, request: Request, cancel: Optional[CancelToken]) -> Optional[str]:
        """The request's blocking function: the answer's text, or the error."""
        # On the main thread the call runs on a helper so that Ctrl-C can end it (call_cancellable).
        handle = self._handle
        args = request.values()
        pointer = handle.acquire()
        try:
            code, text = call_cancellable(
                lambda token: native.client_call(request.function, pointer, *args, token),
                cancel,
                interrupted_note,
            )
        finally:
            handle.release()
        _raise_for(code, text)
        return text

    # --- one request each -----------------------------------------------------------------

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
        as ``"gumball"``. ``extra`` fields (e.g. ``message=``, the alias of ``input``) are sent as
        given, except those that are None.

        With a ``session_id`` (or the client option ``auto_session_id``) the create happens
        exactly once even when its answer is lost: the library repeats it and, if the server
        says the session exists, returns that session with :attr:`SessionResponse.recovered`
        set.
        """
        request = _requests.create(
            "create_session", agent_id, input, session_id, name, metadata, incognito, extra
        )
        return _session_response(self._call(request, cancel))

    def retrieve(
        self, session_id: str, *, cancel: Optional[CancelToken] = None
    ) -> SessionResponse:
        """The session with its transcript, usage and pending approvals:
        ``GET /sessions/{session_id}``."""
        request = _requests.on_session("get_session", session_id)
        return _session_response(self._call(request, cancel))

    def list(
        self,
        agent_id: str,
        *,
        page_size: Optional[int] = None,
        cursor: Optional[str] = None,
        search: Optional[str] = None,
        sort_order: Optional[str] = None,
        type: Optional[str] = None,
        state: Optional[str] = None,
        creator_user_id: Optional[str] = None,
        trigger_id: Optional[str] = None,
        cancel: Optional[CancelToken] = None,
        **extra: Any,
    ) -> SessionList:
        """One page of ``agent_id``'s sessions: ``GET /agents/{agent_id}/sessions``.

        Returns a :class:`~gumloop_ffi.SessionList`: ``.sessions`` (their ``messages`` are
        always empty in a list) and ``.next_cursor``, to pass as ``cursor=`` for the next page
        (None on the last one). ``page_size`` is 1 to 100 (server default 20). ``extra``
        parameters are sent as given. :meth:`list_all` follows the cursors for you.
        """
        agent = _args.text("agent_id", agent_id)
        query = _requests.list_query(
            page_size, cursor, search, sort_order, type, state, creator_user_id, trigger_id, extra
        )
        return self._list_page(agent, query, cancel)

    def list_all(
        self,
        agent_id: str,
        *,
        page_size: Optional[int] = None,
        cursor: Optional[str] = None,
        search: Optional[str] = None,
        sort_order: Optional[str] = None,
        type: Optional[str] = None,
        state: Optional[str] = None,
        creator_user_id: Optional[str] = None,
        trigger_id: Optional[str] = None,
        cancel: Optional[CancelToken] = None,
        **extra: Any,
    ) -> Iterator[Session]:
        """Every session of ``agent_id`` that matches, across all pages: an iterator of
        :class:`~gumloop_ffi.Session` that fetches each page (with :meth:`list`'s filters) when
        the previous one has been read, following ``next_cursor`` until it is None.

        ``page_size`` sets the page size of each request; ``cursor`` starts from a page other
        than the first. Arguments are checked at once; requests are made as you iterate, so
        their errors are raised by ``next()``.
        """
        agent = _args.text("agent_id", agent_id)
        query = _requests.list_query(
            page_size, cursor, search, sort_order, type, state, creator_user_id, trigger_id, extra
        )
        check_token(cancel)
        return self._all_pages(agent, query, cancel)

    def _list_page(
        self, agent: bytes, query: Dict[str, Any], cancel: Optional[CancelToken]
    ) -> SessionList:
        text = self._call(_requests.list_page(agent, query), cancel)
        return parse_page(text)

    def _all_pages(
        self, agent: bytes, query: Dict[str, Any], cancel: Optional[CancelToken]
    ) -> Iterator[Session]:
        seen: Set[str] = set()
        page_query: Optional[Dict[str, Any]] = query
        while page_query is not None:
            page = self._list_page(agent, page_query, cancel)
            for session in page.sessions:
                yield session
            page_query = next_page_query(page_query, page.next_cursor, seen)

    @overload
    def send(
        self,
        session_id: str,
        input: Optional[Input] = None,
        *,
        delivery: Literal["queued"],
        idempotency_key: Optional[str] = None,
        attachments: Optional[Sequence[Mapping[str, Any]]] = None,
        cancel: Optional[CancelToken] = None,
        **extra: Any,
    ) -> MessageReceipt: ...

    @overload
    def send(
        self,
        session_id: str,
        input: Optional[Input] = None,
        *,
        delivery: Optional[Literal["immediate"]] = None,
        idempotency_key: Optional[str] = None,
        attachments: Optional[Sequence[Mapping[str, Any]]] = None,
        cancel: Optional[CancelToken] = None,
        **extra: Any,
    ) -> SessionResponse: ...

    @overload
    def send(
        self,
        session_id: str,
        input: Optional[Input] = None,
        *,
        delivery: Optional[str] = None,
        idempotency_key: Optional[str] = None,
        attachments: Optional[Sequence[Mapping[str, Any]]] = None,
        cancel: Optional[CancelToken] = None,
        **extra: Any,
    ) -> Union[SessionResponse, MessageReceipt]: ...

    def send(
        self,
        session_id: str,
        input: Optional[Input] = None,
        *,
        delivery: Optional[str] = None,
        idempotency_key: Optional[str] = None,
        attachments: Optional[Sequence[Mapping[str, Any]]] = None,
        cancel: Optional[CancelToken] = None,
        **extra: Any,
    ) -> Union[SessionResponse, MessageReceipt]:
        """Sends a message to a session: ``POST /sessions/{session_id}/messages``.

        ``input`` (or ``message=``) is required. With the default immediate delivery the
        session must be settled (``idle``, ``completed``, ``failed`` or ``approval_required``;
        a busy one raises :class:`~gumloop_ffi.ConflictError`
        ``interaction_not_in_terminal_state``) and the answer is the session envelope. With
        ``delivery="queued"`` the message waits in the session's queue, the library sends an
        ``Idempotency-Key`` header (``idempotency_key``, or a generated UUID) and the answer is
        a :class:`~gumloop_ffi.MessageReceipt` (``message_id``, ``status``). ``attachments`` is
        a list of ``{"file_name", "media_type"}``.
        """
        request = _requests.send(session_id, input, delivery, idempotency_key, attachments, extra)
        return send_answer(self._call(request, cancel), delivery)

    def cancel(self, session_id: str, *, cancel: Optional[CancelToken] = None) -> SessionResponse:
        """Cancels a running or queued session: ``POST /sessions/{session_id}/cancel``.

        The session becomes ``failed``; a settled one is returned unchanged. In the answer only
        ``session.id``, ``agent_id`` and ``state`` are meaningful. (``cancel=`` is, as
        everywhere, a token that ends this call itself.)
        """
        request = _requests.on_session("cancel_session", session_id)
        return _session_response(self._call(request, cancel))

    def rename(
        self, session_id: str, name: str, *, cancel: Optional[CancelToken] = None
    ) -> SessionResponse:
        """Renames a session: ``PATCH /sessions/{session_id}``. ``name`` must be 1 to 256
        characters after trimming."""
        return _session_response(self._call(_requests.rename(session_id, name), cancel))

    #: The official SDK's name for :meth:`rename`: ``client.sessions.update(session_id,
    #: name="...")``. The same method, with the same signature.
    update = rename

    def wait(
        self,
        session_id: str,
        *,
        timeout: Optional[float] = None,
        poll_interval: Optional[float] = None,
        max_poll_interval: Optional[float] = None,
        cancel: Optional[CancelToken] = None,
    ) -> SessionResponse:
        """Waits until the session settles (``completed``, ``failed``, ``approval_required`` or
        ``idle``) and returns that envelope, polling ``GET /sessions/{session_id}``.

        In seconds: ``timeout`` is the overall deadline (library default 600), ``poll_interval``
        the first pause (0.25; it grows by half each poll), ``max_poll_interval`` the longest
        (5). At the deadline it raises :class:`~gumloop_ffi.APITimeoutError` whose
        ``details["last_state"]`` is the last state seen.
        """
        request = _requests.wait(session_id, timeout, poll_interval, max_poll_interval)
        return _session_response(self._call(request, cancel))

    # --- streams --------------------------------------------------------------------------

    def stream(
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
    ) -> EventStream:
        """Creates a session and streams its first run (``POST /agents/{agent_id}/sessions`` on
        the streaming host): an :class:`~gumloop_ffi.EventStream` of its events.

        The arguments are :meth:`create`'s. Iterate the stream for the events (``type``,
        ``stream_cursor``, ``delta``, ...), each once even across the library's automatic
        resumes; the session's ID is ``stream.session_id`` from the first event on. At the end
        ``stream.summary`` has ``finish_reason``: ``"stop"``, or ``"error"`` when the run failed
        (a failed run is an event, not an exception). ``with client.sessions.stream(...) as
        events:`` closes the stream however the block is left.
        """
        request = _requests.create(
            "stream_session", agent_id, input, session_id, name, metadata, incognito, extra
        )
        return EventStream(self._handle, request, check_token(cancel), session_id=session_id)

    def stream_message(
        self,
        session_id: str,
        input: Optional[Input] = None,
        *,
        attachments: Optional[Sequence[Mapping[str, Any]]] = None,
        approval_responses: Optional[Sequence[Mapping[str, Any]]] = None,
        cancel: Optional[CancelToken] = None,
        **extra: Any,
    ) -> EventStream:
        """Sends a message and streams the run it starts (``POST /sessions/{session_id}/messages``
        on the streaming host). ``input`` (or ``message=``) is required, unless
        ``approval_responses`` answers the session's pending approvals. Events and results as
        for :meth:`stream`."""
        request = _requests.stream_message(
            session_id, input, attachments, approval_responses, extra
        )
        return EventStream(self._handle, request, check_token(cancel), session_id=session_id)

    def resume_stream(
        self, session_id: str, last_cursor: str, *, cancel: Optional[CancelToken] = None
    ) -> EventStream:
        """Resumes a session's stream after ``last_cursor``, a ``stream_cursor`` seen before
        (``GET /sessions/{session_id}?stream=true&last_cursor=...`` on the streaming host).

        Events after the cursor are replayed, then followed live. When the run has already
        ended, the one event is a final ``finish`` and ``stream.summary.finish_reason`` is
        ``"not_resumable"``: retrieve the session for its state."""
        request = _requests.resume_stream(session_id, last_cursor)
        return EventStream(
            self._handle,
            request,
            check_token(cancel),
            session_id=session_id,
            cursor=last_cursor,
        )


class Client:
    """A Gumloop API client over one libgumloop client handle and its connection pool.

    Arguments left as None are not passed to the library, which then reads the environment as
    the official SDK does: ``GUMLOOP_ACCESS_TOKEN`` (read again on every request; when unset,
    ``GUMLOOP_API_KEY``, as the SDK's command-line tool reads it), ``GUMLOOP_USER_ID``,
    ``GUMLOOP_TEAM_ID``, ``GUMLOOP_BASE_URL``, ``GUMLOOP_STREAM_BASE_URL`` (derived from the
    base URL as the SDK derives it when unset). ``access_token`` wins over ``api_key``.
    ``team_id`` goes on REST requests only, and a ``team_id=`` filter of :meth:`Sessions.list`
    wins over it.

    Timeouts are in seconds (floats allowed): ``timeout`` bounds a whole request (library
    default 90 s), ``connect_timeout`` the connection (30 s), ``stream_timeout`` the longest gap
    between two bytes of a stream (3600 s; a stream silent for longer is resumed).

    Retries: the library repeats a request only where that is safe (a connection that failed
    before sending, HTTP 429 and 503 honouring ``Retry-After``, and for reads other 5xx,
    time-outs and lost connections), with exponential backoff and jitter. ``max_retries`` is the
    number of repeats after the first attempt (0 to 10, default 2; 0 turns retries off);
    ``max_backoff`` the longest wait between attempts in seconds (default 8), also the longest
    ``Retry-After`` honoured. ``auto_session_id=True`` gives every create without a
    ``session_id`` a generated one (``sess_`` and 24 letters and digits), so that a create whose
    answer was lost is recovered instead of failing (see :attr:`SessionResponse.recovered`); it
    is off by default because it changes the body you wrote.

    Sizes in bytes: ``max_response_bytes`` caps one answer (library default 16 MiB),
    ``max_upload_bytes`` one :meth:`Sessions.upload_file` (200 MiB), checked before sending.

    Resources: ``sessions`` (sessions, their files, approvals, queue and access), ``agents``,
    ``artifacts``; :meth:`request` for anything they do not cover.

    Safe to share between threads: calls run concurrently, each with the GIL released.
    :meth:`close` (or leaving a ``with`` block) closes the client's open event streams, waits
    for calls in flight, then frees the handle; it is idempotent, and a call after it raises
    :class:`~gumloop_ffi.ClientClosedError`. A client that is garbage-collected without
    ``close()`` is freed then.

    Fork-safe: a child process made by ``fork()`` (``multiprocessing``'s fork start method) can
    keep using a client made before the fork, even one that has made calls; the library builds
    a new runtime and connection pool in the child. Event streams open at the fork go on only
    in the parent.

    Raises :class:`~gumloop_ffi.AuthenticationError` when no credential is given or found, and
    :class:`~gumloop_ffi.InvalidArgumentError` for an unacceptable option.
    """

    sessions: Sessions
    agents: Agents
    artifacts: Artifacts

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
        max_upload_bytes: Optional[int] = None,
        ca_cert_path: Optional[Union[str, "os.PathLike[str]"]] = None,
        ca_cert_pem: Optional[str] = None,
        proxy: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        user_agent_suffix: Optional[str] = None,
        allow_insecure_http: Optional[bool] = None,
        max_retries: Optional[int] = None,
        max_backoff: Optional[float] = None,
        auto_session_id: Optional[bool] = None,
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
        for key, limit in (
            ("max_response_bytes", max_response_bytes),
            ("max_upload_bytes", max_upload_bytes),
        ):
            size = _args.check_positive_int(key, limit)
            if size is not None:
                options[key] = size
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
        retries = _args.check_int("max_retries", max_retries, minimum=0)
        if retries is not None:
            options["max_retries"] = retries
        backoff = _args.seconds_to_ms("max_backoff", max_backoff)
        if backoff is not None:
            options["max_backoff_ms"] = backoff
        if _args.check_bool("auto_session_id", auto_session_id) is not None:
            options["auto_session_id"] = auto_session_id

        code, pointer, text = native.client_new(_args.json_bytes("options", options))
        if code != OK or not pointer:
            if pointer:  # never happens by the C contract; do not leak it if it did
                native.client_free(pointer)
            raise error_from_call(code, text)
        self._handle = _Handle(pointer, native.client_free)
        self.sessions = Sessions(self._handle)
        self.agents = Agents(self._handle)
        self.artifacts = Artifacts(self._handle)

    def request(
        self,
        method: str,
        path: Sequence[str],
        *,
        query: Optional[Mapping[str, Any]] = None,
        body: Any = None,
        cancel: Optional[CancelToken] = None,
    ) -> Any:
        """Sends a request the library does not wrap (``gumloop_client_send_request``) and
        returns the server's JSON answer, parsed (None for an empty one).

        ``method`` is ``"GET"``, ``"HEAD"``, ``"POST"``, ``"PUT"``, ``"PATCH"`` or ``"DELETE"``;
        ``path`` the segments under the API base, e.g. ``["sessions", session_id, "queue"]``,
        each encoded as one segment; ``query`` a mapping of parameters; ``body`` any JSON value
        (not with GET or HEAD). The client's credentials, retry rules (only GET and HEAD are
        repeated after an unknown outcome), limits and exceptions apply as to every call.
        """
        return Resource(self._handle)._run(request_call(method, path, query, body), cancel)

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called (True too for a client whose constructor failed:
        it has nothing to use)."""
        handle: Optional[_Handle] = getattr(self, "_handle", None)
        return handle is None or handle.closed

    def close(self) -> None:
        """Waits for calls in flight, then frees the client. Calling it again does nothing."""
        handle: Optional[_Handle] = getattr(self, "_handle", None)
        if handle is not None:
            handle.close()

    def __enter__(self) -> "Client":
        if self.closed:
            raise client_closed()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        # Never raises, even for a client whose constructor failed (a traceback that shows
        # locals calls it).
        if getattr(self, "_handle", None) is None:
            return "<gumloop_ffi.Client not created>"
        return f"<gumloop_ffi.Client {'closed' if self.closed else 'open'}>"


def create_session(
    agent_id: str,
    body: Optional[Mapping[str, Any]] = None,
    access_token: Optional[str] = None,
    user_id: Optional[str] = None,
) -> SessionResponse:
    """Creates a session in one call, without a :class:`Client` (``gumloop_oneshot_create_session``).

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
    """The version the loaded libgumloop reports (``gumloop_version_get()``)."""
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

