"""The asyncio API: :class:`AsyncClient`, its ``sessions`` resource, and
:class:`AsyncEventStream`.

Every call starts without blocking on the library's poller (see ``_poller``) and is awaited on
the running event loop; no thread is made per call. Arguments are checked, and answers parsed,
exactly as by :class:`~gumloop_ffi.Client` (``_requests`` and ``_client`` hold that code once).
"""

from __future__ import annotations

import asyncio
import os
import weakref
from typing import (
    Any,
    AsyncIterator,
    Dict,
    Literal,
    Mapping,
    Optional,
    Sequence,
    Set,
    Union,
    overload,
)

from . import _args, _requests
from ._client import (
    Client,
    _session_response,
    next_page_query,
    parse_page,
    send_answer,
)
from ._errors import ClientClosedError, GumloopError, client_closed
from ._async_resources import AsyncAgents, AsyncArtifacts, AsyncSessionExtras
from ._poller import PendingCall, Poller
from ._raw import request_call
from ._requests import Input, Request
from ._stream import StreamView
from ._types import MessageReceipt, Session, SessionList, SessionResponse, StreamEvent


class AsyncEventStream(StreamView):
    """The events of one streaming call, as an async iterator:
    ``async for event in client.sessions.stream(...)``.

    Each :class:`~gumloop_ffi.StreamEvent` comes once, in order, across the library's automatic
    resumes. Nothing is sent before the first ``__anext__``. When the final event has been read,
    iteration stops and :attr:`summary` holds the stream's summary; an error of the call is
    raised once the events before it have been read (with :attr:`summary` set), as by
    :class:`~gumloop_ffi.EventStream`.

    Stop early with :meth:`aclose` (or leave an ``async with`` block): the call is cancelled and
    its connection closed at once, and the summary has ``stopped`` set. Cancelling the task
    that waits for the next event does the same. A stream dropped without closing is cancelled
    when it is garbage-collected. Events taken from the library but not yet read wait in this
    stream: read them, or close it.
    """

    def __init__(
        self,
        client: "AsyncClient",
        request: Request,
        *,
        session_id: Optional[str] = None,
        cursor: Optional[str] = None,
    ) -> None:
        super().__init__(session_id, cursor)
        self._client = client
        self._request = request
        self._call: Optional[PendingCall] = None
        self._ended = False

    @property
    def closed(self) -> bool:
        """True once the stream has ended: finished, failed or closed."""
        return self._ended

    def __aiter__(self) -> "AsyncEventStream":
        return self

    async def __anext__(self) -> StreamEvent:
        if self._ended:
            raise StopAsyncIteration
        call = self._call
        if call is None:
            try:
                call = self._call = self._client._start(self._request)
            except BaseException:
                self._ended = True
                raise
            weakref.finalize(self, call.cancel)
        try:
            while not call.events and not call.ended:
                await call.changed()
        except asyncio.CancelledError:
            self.close()
            raise
        if call.events:
            try:
                return self._parse_event(call.events.popleft())
            except GumloopError:
                self.close()
                raise
        self._ended = True
        if call.failure is not None:
            self.summary = self._consumer_summary()
            raise call.failure
        assert call.result is not None
        self._outcome(*call.result)
        raise StopAsyncIteration

    def close(self) -> None:
        """Stops the stream: cancels the call (its connection closes at once) and drops events
        not read. Idempotent; never waits."""
        if self._ended:
            return
        self._ended = True
        call = self._call
        if call is not None:
            call.cancel()
            call.events.clear()
        self.summary = self._closed_summary_of(None if call is None else call.result)

    async def aclose(self) -> None:
        """As :meth:`close`."""
        self.close()

    async def __aenter__(self) -> "AsyncEventStream":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        status = "closed" if self._ended else "open"
        return f"<gumloop_ffi.AsyncEventStream {status} session_id={self._session_id!r}>"


class AsyncSessions(AsyncSessionExtras):
    """``client.sessions`` of an :class:`AsyncClient`: the methods of
    :class:`~gumloop_ffi.Sessions`, awaited.

    Every method checks its arguments at once (raising
    :class:`~gumloop_ffi.InvalidArgumentError` before anything is sent) and raises the same
    exceptions as the blocking client. There is no ``cancel=`` token: cancel the awaiting task
    (``task.cancel()``, ``asyncio.timeout``, ``asyncio.wait_for``), which cancels the call and
    closes its connection at once.
    """

    async def create(
        self,
        agent_id: str,
        input: Optional[Input] = None,
        *,
        session_id: Optional[str] = None,
        name: Optional[str] = None,
        metadata: Optional[Mapping[str, Any]] = None,
        incognito: Optional[bool] = None,
        **extra: Any,
    ) -> SessionResponse:
        """As :meth:`gumloop_ffi.Sessions.create`."""
        request = _requests.create(
            "create_session", agent_id, input, session_id, name, metadata, incognito, extra
        )
        return _session_response(await self._call(request))

    async def retrieve(self, session_id: str) -> SessionResponse:
        """As :meth:`gumloop_ffi.Sessions.retrieve`."""
        return _session_response(await self._call(_requests.on_session("get_session", session_id)))

    async def list(
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
        **extra: Any,
    ) -> SessionList:
        """As :meth:`gumloop_ffi.Sessions.list`."""
        agent = _args.text("agent_id", agent_id)
        query = _requests.list_query(
            page_size, cursor, search, sort_order, type, state, creator_user_id, trigger_id, extra
        )
        return parse_page(await self._call(_requests.list_page(agent, query)))

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
        **extra: Any,
    ) -> AsyncIterator[Session]:
        """As :meth:`gumloop_ffi.Sessions.list_all`, an async iterator
        (``async for session in client.sessions.list_all(...)``); arguments are checked at
        once, pages fetched as you iterate."""
        agent = _args.text("agent_id", agent_id)
        query = _requests.list_query(
            page_size, cursor, search, sort_order, type, state, creator_user_id, trigger_id, extra
        )
        return self._all_pages(agent, query)

    async def _all_pages(self, agent: bytes, query: Dict[str, Any]) -> AsyncIterator[Session]:
        seen: Set[str] = set()
        page_query: Optional[Dict[str, Any]] = query
        while page_query is not None:
            page = parse_page(await self._call(_requests.list_page(agent, page_query)))
            for session in page.sessions:
                yield session
            page_query = next_page_query(page_query, page.next_cursor, seen)

    @overload
    async def send(
        self,
        session_id: str,
        input: Optional[Input] = None,
        *,
        delivery: Literal["queued"],
        idempotency_key: Optional[str] = None,
        attachments: Optional[Sequence[Mapping[str, Any]]] = None,
        **extra: Any,
    ) -> MessageReceipt: ...

    @overload
    async def send(
        self,
        session_id: str,
        input: Optional[Input] = None,
        *,
        delivery: Optional[Literal["immediate"]] = None,
        idempotency_key: Optional[str] = None,
        attachments: Optional[Sequence[Mapping[str, Any]]] = None,
        **extra: Any,
    ) -> SessionResponse: ...

    @overload
    async def send(
        self,
        session_id: str,
        input: Optional[Input] = None,
        *,
        delivery: Optional[str] = None,
        idempotency_key: Optional[str] = None,
        attachments: Optional[Sequence[Mapping[str, Any]]] = None,
        **extra: Any,
    ) -> Union[SessionResponse, MessageReceipt]: ...

    async def send(
        self,
        session_id: str,
        input: Optional[Input] = None,
        *,
        delivery: Optional[str] = None,
        idempotency_key: Optional[str] = None,
        attachments: Optional[Sequence[Mapping[str, Any]]] = None,
        **extra: Any,
    ) -> Union[SessionResponse, MessageReceipt]:
        """As :meth:`gumloop_ffi.Sessions.send`."""
        request = _requests.send(session_id, input, delivery, idempotency_key, attachments, extra)
        return send_answer(await self._call(request), delivery)

    async def cancel(self, session_id: str) -> SessionResponse:
        """As :meth:`gumloop_ffi.Sessions.cancel`: cancels the session's run."""
        request = _requests.on_session("cancel_session", session_id)
        return _session_response(await self._call(request))

    async def rename(self, session_id: str, name: str) -> SessionResponse:
        """As :meth:`gumloop_ffi.Sessions.rename`."""
        return _session_response(await self._call(_requests.rename(session_id, name)))

    #: The official SDK's name for :meth:`rename`.
    update = rename

    async def wait(
        self,
        session_id: str,
        *,
        timeout: Optional[float] = None,
        poll_interval: Optional[float] = None,
        max_poll_interval: Optional[float] = None,
    ) -> SessionResponse:
        """As :meth:`gumloop_ffi.Sessions.wait` (the library polls; the loop is never
        blocked)."""
        request = _requests.wait(session_id, timeout, poll_interval, max_poll_interval)
        return _session_response(await self._call(request))

    def stream(
        self,
        agent_id: str,
        input: Optional[Input] = None,
        *,
        session_id: Optional[str] = None,
        name: Optional[str] = None,
        metadata: Optional[Mapping[str, Any]] = None,
        incognito: Optional[bool] = None,
        **extra: Any,
    ) -> AsyncEventStream:
        """As :meth:`gumloop_ffi.Sessions.stream`: an :class:`AsyncEventStream`
        (``async for event in client.sessions.stream(...)``)."""
        request = _requests.create(
            "stream_session", agent_id, input, session_id, name, metadata, incognito, extra
        )
        return AsyncEventStream(self._client, request, session_id=session_id)

    def stream_message(
        self,
        session_id: str,
        input: Optional[Input] = None,
        *,
        attachments: Optional[Sequence[Mapping[str, Any]]] = None,
        approval_responses: Optional[Sequence[Mapping[str, Any]]] = None,
        **extra: Any,
    ) -> AsyncEventStream:
        """As :meth:`gumloop_ffi.Sessions.stream_message`."""
        request = _requests.stream_message(
            session_id, input, attachments, approval_responses, extra
        )
        return AsyncEventStream(self._client, request, session_id=session_id)

    def resume_stream(self, session_id: str, last_cursor: str) -> AsyncEventStream:
        """As :meth:`gumloop_ffi.Sessions.resume_stream`."""
        request = _requests.resume_stream(session_id, last_cursor)
        return AsyncEventStream(
            self._client, request, session_id=session_id, cursor=last_cursor
        )


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
    agents: AsyncAgents
    artifacts: AsyncArtifacts

    def __init__(self, api_key: Optional[str] = None, **options: Any) -> None:
        # The blocking client checks the options and owns the library's client handle.
        self._client = Client(api_key, **options)
        self._pollers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Poller]" = (
            weakref.WeakKeyDictionary()
        )
        self.sessions = AsyncSessions(self)
        self.agents = AsyncAgents(self)
        self.artifacts = AsyncArtifacts(self, options.get("max_response_bytes"))

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

    def _start(self, request: Request) -> PendingCall:
        """Starts ``request`` on the running loop's poller."""
        loop = asyncio.get_running_loop()
        poller = self._pollers.get(loop)
        if poller is None or poller.pid != os.getpid():
            poller = self._pollers[loop] = Poller(loop)
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
