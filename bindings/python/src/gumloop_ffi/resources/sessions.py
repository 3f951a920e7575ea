"""``client.sessions``: :class:`Sessions` for :class:`~gumloop_ffi.Client` and
:class:`AsyncSessions` for :class:`~gumloop_ffi.AsyncClient`, side by side. Both build each
request and read each answer with the same functions; the sync methods wait on the calling
thread, the async ones on the running event loop."""

from __future__ import annotations

from typing import (
    Any,
    AsyncIterator,
    Dict,
    Iterator,
    Literal,
    Mapping,
    Optional,
    Sequence,
    Set,
    Union,
    overload,
)

from .. import _args, _requests
from .._handles import CancelToken, check_token
from .._requests import Input
from .._resource import invalid_response, parsed
from .._streaming import AsyncEventStream, EventStream
from .._types import (
    MessageReceipt,
    Session,
    SessionList,
    SessionResponse,
    parse_object,
    parse_session_list,
    parse_session_response,
)
from .access import AsyncSessionAccess, SessionAccess
from .approvals import AsyncSessionApprovals, SessionApprovals
from .files import AsyncSessionFiles, SessionFiles
from .queue import AsyncSessionQueue, SessionQueue


_invalid_response = invalid_response
_parsed = parsed


def session_response(text: Optional[str]) -> SessionResponse:
    """A session envelope, or InvalidResponseError."""
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
    return session_response(text)


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


class Sessions(SessionFiles, SessionApprovals, SessionQueue, SessionAccess):
    """``client.sessions``: the Sessions API.

    Every method blocks its thread until the server answers (others run), and takes ``cancel=``,
    a :class:`~gumloop_ffi.CancelToken` that another thread can trigger to end the call with
    :class:`~gumloop_ffi.CancelledError`. On the main thread Ctrl-C ends any call at once: it is
    cancelled, and the ``KeyboardInterrupt`` carries the call's ``CancelledError`` as its
    ``__cause__`` (whose ``details`` say ``may_have_created``, ``"session"`` or ``"message"``,
    and the ``session_id``, when the library reports that a write may have taken effect) and,
    on Python 3.11 and later, a note saying the same. Arguments left as None are not sent. An argument that
    is not acceptable raises :class:`~gumloop_ffi.InvalidArgumentError` before anything is sent;
    a refusal by the server raises an :class:`~gumloop_ffi.APIStatusError` subclass.

    The streaming methods (:meth:`stream`, :meth:`stream_message`, :meth:`resume_stream`) return
    an :class:`~gumloop_ffi.EventStream`, a generator of events that sends nothing until it is
    first iterated.
    """

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
        return session_response(self._call(request, cancel))

    def retrieve(
        self, session_id: str, *, cancel: Optional[CancelToken] = None
    ) -> SessionResponse:
        """The session with its transcript, usage and pending approvals:
        ``GET /sessions/{session_id}``."""
        request = _requests.on_session("get_session", session_id)
        return session_response(self._call(request, cancel))

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
        return session_response(self._call(request, cancel))

    def rename(
        self, session_id: str, name: str, *, cancel: Optional[CancelToken] = None
    ) -> SessionResponse:
        """Renames a session: ``PATCH /sessions/{session_id}``. ``name`` must be 1 to 256
        characters after trimming."""
        return session_response(self._call(_requests.rename(session_id, name), cancel))

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
        return session_response(self._call(request, cancel))

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


class AsyncSessions(AsyncSessionFiles, AsyncSessionApprovals, AsyncSessionQueue, AsyncSessionAccess):
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
        return session_response(await self._call(request))

    async def retrieve(self, session_id: str) -> SessionResponse:
        """As :meth:`gumloop_ffi.Sessions.retrieve`."""
        return session_response(await self._call(_requests.on_session("get_session", session_id)))

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
        return session_response(await self._call(request))

    async def rename(self, session_id: str, name: str) -> SessionResponse:
        """As :meth:`gumloop_ffi.Sessions.rename`."""
        return session_response(await self._call(_requests.rename(session_id, name)))

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
        return session_response(await self._call(request))

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
