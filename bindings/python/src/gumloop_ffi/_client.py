"""The clients: :class:`Client` (blocking) and :class:`AsyncClient` (asyncio) over one
libgumloop client handle each, their resources (``gumloop_ffi.resources``), and the module
functions :func:`create_session`, :func:`library_version` and friends.

Both clients run every operation through the same engine (``_engine``): the library's poller,
by name; the blocking client waits on the calling thread, the asyncio client on its loop.
"""

from __future__ import annotations

import asyncio
import json
import os
import weakref
from typing import Any, Dict, Mapping, Optional, Sequence, Union

from . import _args
from ._engine import AsyncPoller, PendingCall
from ._errors import ClientClosedError, client_closed, error_from_call, invalid_argument
from ._handles import CancelToken, _Handle
from ._hooks import TokensCallback, TokenWatch
from ._native import OK, native
from ._raw import request_call
from ._requests import Call, Param, Request
from ._types import SessionResponse
from .resources.agents import Agents, AsyncAgents
from .resources.artifacts import Artifacts, AsyncArtifacts
from .resources.oauth import AsyncOAuth, OAuth
from .resources.sessions import AsyncSessions, Sessions, session_response


class _Unset:
    """The type of :data:`UNSET`."""

    def __repr__(self) -> str:
        return "UNSET"


#: "Not given" for :meth:`Client.set_credentials` (where None means "reset").
UNSET = _Unset()


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

    Safe to share between threads: calls run concurrently (each waits in poll(2), GIL released).
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
    oauth: OAuth
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
        use_env_proxy: Optional[bool] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        user_agent_suffix: Optional[str] = None,
        allow_insecure_http: Optional[bool] = None,
        max_retries: Optional[int] = None,
        max_backoff: Optional[float] = None,
        auto_session_id: Optional[bool] = None,
        refresh_token: Optional[str] = None,
        client_id: Optional[str] = None,
        client_secret: Optional[str] = None,
        on_tokens: Optional[TokensCallback] = None,
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
            ("refresh_token", refresh_token),
            ("client_id", client_id),
            ("client_secret", client_secret),
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
        for key, flag in (
            ("allow_insecure_http", allow_insecure_http),
            ("use_env_proxy", use_env_proxy),
        ):
            if _args.check_bool(key, flag) is not None:
                options[key] = flag
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
        if on_tokens is not None and not callable(on_tokens):
            native.client_free(pointer)
            raise invalid_argument(
                "on_tokens", "`on_tokens` must be a callable or None", wrong_type=True
            )
        self._handle = _Handle(pointer, native.client_free)
        self._handle.tokens = TokenWatch(on_tokens) if on_tokens is not None else None
        self.oauth = OAuth(self._handle)
        self.oauth._base_url = base_url
        self.oauth._allow_insecure_http = allow_insecure_http
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
        return self.sessions._run(request_call(method, path, query, body), cancel)

    def set_credentials(
        self,
        *,
        access_token: Union[str, None, _Unset] = UNSET,
        user_id: Union[str, None, _Unset] = UNSET,
        refresh_token: Union[str, None, _Unset] = UNSET,
    ) -> int:
        """Replaces the client's credentials, atomically, from any thread: calls that start
        afterwards use the new ones, calls in flight keep theirs, and the connections stay.

        An argument not given is unchanged; None resets it (``access_token=None``: back to the
        environment; ``user_id=None``: no user header; ``refresh_token=None``: no automatic
        refresh). Returns the credentials' generation (one more on every change, by this or by
        a refresh). Raises :class:`~gumloop_ffi.InvalidArgumentError`, changing nothing, for
        an empty value or one with a line break."""
        changes: Dict[str, Optional[str]] = {}
        for key, value in (
            ("access_token", access_token),
            ("user_id", user_id),
            ("refresh_token", refresh_token),
        ):
            if not isinstance(value, _Unset):
                changes[key] = _args.check_str(key, value)
        with self._handle.use() as pointer:
            code, text = native.call_json(
                "gumloop_client_set_credentials", pointer, _args.json_bytes("credentials", changes)
            )
        if code != OK:
            raise error_from_call(code, text)
        generation = json.loads(text or "{}").get("generation")
        return generation if isinstance(generation, int) else 0

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
    """Creates a session in one call, without a :class:`Client` of your own (a client is made
    for the call and closed after it).

    ``body`` is the request body as a mapping, sent as given (None sends ``{}``). A None
    ``access_token`` reads ``GUMLOOP_ACCESS_TOKEN``, then ``GUMLOOP_API_KEY``; a None
    ``user_id`` reads ``GUMLOOP_USER_ID``. The base URL and team come from
    ``GUMLOOP_BASE_URL`` and ``GUMLOOP_TEAM_ID``. Ctrl-C ends it as any call.
    """
    agent = _args.text("agent_id", agent_id)
    mapping = _args.check_mapping("body", body)
    payload = None if mapping is None else _args.json_bytes("body", dict(mapping))
    _args.check_str("access_token", access_token)
    _args.check_str("user_id", user_id)
    request = Request("create_session", (Param("agent_id", agent), Param("body", payload, True)))
    with Client(access_token=access_token, user_id=user_id) as client:
        return client.sessions._run(Call(request, session_response), None)


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


class AsyncClient:
    """A Gumloop API client for asyncio: :class:`~gumloop_ffi.Client`'s options and methods,
    awaited (``await client.sessions.create(...)``, ``async for event in
    client.sessions.stream(...)``).

    Calls run as tasks on the library's runtime, started and collected from the running event
    loop through a poller whose file descriptor the loop watches (``loop.add_reader``): no
    thread is made per call, and the loop never blocks. A thousand streams in flight cost a
    thousand small tasks in the library, not a thousand threads. Cancelling the task that awaits
    a call (or iterates a stream) cancels the call and closes its connection at once. Errors are
    the blocking client's exceptions.

    One client may serve several event loops (each gets its own poller) but is not meant to be
    shared between threads. :meth:`close` (or leaving ``async with``) cancels every call in
    flight (their awaiters raise :class:`~gumloop_ffi.ClientClosedError`) and frees the client;
    a call after it raises :class:`~gumloop_ffi.ClientClosedError`.

    Fork-safe as :class:`~gumloop_ffi.Client`: a child process can keep using the client (in its
    own event loop); calls and streams in flight at the fork go on only in the parent.
    """

    sessions: AsyncSessions
    oauth: AsyncOAuth
    agents: AsyncAgents
    artifacts: AsyncArtifacts

    def __init__(self, api_key: Optional[str] = None, **options: Any) -> None:
        # The blocking client checks the options and owns the library's client handle.
        self._client = Client(api_key, **options)
        self._pollers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, AsyncPoller]" = (
            weakref.WeakKeyDictionary()
        )
        self.oauth = AsyncOAuth(self)
        self.oauth._base_url = options.get("base_url")
        self.oauth._allow_insecure_http = options.get("allow_insecure_http")
        self.sessions = AsyncSessions(self)
        self.agents = AsyncAgents(self)
        self.artifacts = AsyncArtifacts(self)

    async def request(
        self,
        method: str,
        path: Sequence[str],
        *,
        query: Optional[Mapping[str, Any]] = None,
        body: Any = None,
    ) -> Any:
        """As :meth:`gumloop_ffi.Client.request`: a request the library does not wrap, its
        JSON answer parsed."""
        return await self.sessions._run(request_call(method, path, query, body))

    def set_credentials(
        self,
        *,
        access_token: Union[str, None, _Unset] = UNSET,
        user_id: Union[str, None, _Unset] = UNSET,
        refresh_token: Union[str, None, _Unset] = UNSET,
    ) -> int:
        """As :meth:`gumloop_ffi.Client.set_credentials` (it never blocks)."""
        return self._client.set_credentials(
            access_token=access_token, user_id=user_id, refresh_token=refresh_token
        )

    def _after_call(self) -> None:
        """The caller's side of a call that ended: log records, new tokens to ``on_tokens``."""
        self._client._handle.after_call()

    def _start(self, request: Request) -> PendingCall:
        """Starts ``request`` on the running loop's poller."""
        loop = asyncio.get_running_loop()
        poller = self._pollers.get(loop)
        if poller is None or not poller.usable:
            poller = self._pollers[loop] = AsyncPoller(loop)
        with self._client._handle.use() as pointer:
            return poller.start(pointer, request)

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._client.closed

    @property
    def in_flight(self) -> int:
        """Calls started on the running loop and not ended."""
        poller = self._pollers.get(asyncio.get_running_loop())
        return 0 if poller is None else poller.in_flight

    def close(self) -> None:
        """Cancels every call in flight and frees the client, without waiting for the network.
        Calling it again does nothing."""
        if self._client.closed:
            return
        error: ClientClosedError = client_closed()
        for poller in list(self._pollers.values()):
            poller.close(error)
        self._pollers.clear()
        self._client.close()

    async def aclose(self) -> None:
        """As :meth:`close`."""
        self.close()

    async def __aenter__(self) -> "AsyncClient":
        if self._client.closed:
            raise client_closed()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<gumloop_ffi.AsyncClient {'closed' if self.closed else 'open'}>"


class Gumloop(Client):
    """:class:`Client` under the official SDK's name, for its users: ``from gumloop_ffi import
    Gumloop`` in place of ``from gumloop import Gumloop``.

    It takes the SDK's constructor arguments (``api_key``, ``access_token``, ``user_id``,
    ``team_id``, ``base_url``, ``stream_base_url``, ``timeout``, ``stream_timeout``) and reads
    the same environment variables; its answers have ``model_dump()`` and
    ``model_dump_json()``, its stream events the SDK's attribute names, its exceptions the
    SDK's names (:class:`~gumloop_ffi.GumloopError`, :class:`~gumloop_ffi.APIStatusError`,
    :class:`~gumloop_ffi.AuthenticationError`). Everything :class:`Client` has is there too.
    """

    def __repr__(self) -> str:
        return super().__repr__().replace("gumloop_ffi.Client", "gumloop_ffi.Gumloop", 1)


class AsyncGumloop(AsyncClient):
    """:class:`AsyncClient` under the official SDK's name (``gumloop.AsyncGumloop``), as
    :class:`Gumloop` is :class:`Client`'s."""

    def __repr__(self) -> str:
        return super().__repr__().replace("gumloop_ffi.AsyncClient", "gumloop_ffi.AsyncGumloop", 1)
