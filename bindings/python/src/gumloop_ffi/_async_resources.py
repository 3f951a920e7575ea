"""The asyncio side of the API beyond sessions' core methods: a session's files, approvals,
queue and access (mixed into ``AsyncClient.sessions``), ``AsyncClient.agents`` and
``AsyncClient.artifacts``.

Each method builds its call with the blocking client's code (``upload_call``, ``resolve_call``,
... in ``_files``, ``_approvals``, ``_queue``, ``_access``, ``_agents``, ``_artifacts``), starts
it on the running loop's poller and parses the answer as the blocking client does, so names,
arguments, answers and exceptions are the same. There is no ``cancel=`` token: cancel the
awaiting task.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Awaitable,
    Callable,
    Dict,
    Mapping,
    Optional,
    Sequence,
    Set,
    TypeVar,
    Union,
)

from . import _access, _agents, _approvals, _artifacts, _files, _queue
from ._approvals import Ask, accept, reject
from ._files import FileContent
from ._requests import Call, Request
from ._resource import invalid_response, next_cursor, page_items, raise_for
from ._types import GumloopObject, Session, SessionResponse

if TYPE_CHECKING:
    from ._async_client import AsyncClient

_T = TypeVar("_T")


async def async_pages(
    page: Callable[[Optional[str]], Awaitable[GumloopObject]], items: str, cursor: Optional[str]
) -> AsyncIterator[GumloopObject]:
    """As ``_resource.all_pages``, each page awaited."""
    seen: Set[str] = set()
    while True:
        answer = await page(cursor)
        for item in page_items(answer, items):
            yield item
        cursor = next_cursor(answer, seen)
        if cursor is None:
            return


class AsyncResource:
    """A part of the API over an :class:`AsyncClient`."""

    def __init__(self, client: "AsyncClient") -> None:
        self._client = client

    async def _call(self, request: Request) -> Optional[str]:
        """Runs ``request`` on the poller: the answer's text, or the error."""
        call = self._client._start(request)
        code, text = await call.outcome()
        raise_for(code, text)
        return text

    async def _run(self, call: "Call[_T]") -> _T:
        return call.parse(await self._call(call.request))


class AsyncSessionExtras(AsyncResource):
    """Files, approvals, the queue and access: part of ``AsyncClient.sessions``."""

    async def upload_file(
        self,
        session_id: str,
        file_name: Optional[str],
        file_content: FileContent,
        *,
        media_type: Optional[str] = None,
    ) -> GumloopObject:
        """As :meth:`gumloop_ffi.Sessions.upload_file`. A path's file is read on the loop's
        thread before the call starts; the bytes go to the library in one piece."""
        return await self._run(_files.upload_call(session_id, file_name, file_content, media_type))

    async def resolve_approvals(
        self,
        session_id: str,
        request: Optional[Mapping[str, Any]] = None,
        *,
        approval_responses: Optional[Sequence[Mapping[str, Any]]] = None,
    ) -> GumloopObject:
        """As :meth:`gumloop_ffi.Sessions.resolve_approvals`."""
        return await self._run(_approvals.resolve_call(session_id, request, approval_responses))

    async def accept_pending(
        self, session: Union[Session, SessionResponse], *, reason: Optional[str] = None
    ) -> GumloopObject:
        """As :meth:`gumloop_ffi.Sessions.accept_pending`."""
        answer: Callable[[Ask], Dict[str, Any]] = lambda ask: accept(ask, reason=reason)
        return await self._run(_approvals.pending_call(session, answer))

    async def reject_pending(
        self, session: Union[Session, SessionResponse], *, reason: Optional[str] = None
    ) -> GumloopObject:
        """As :meth:`gumloop_ffi.Sessions.reject_pending`."""
        answer: Callable[[Ask], Dict[str, Any]] = lambda ask: reject(ask, reason=reason)
        return await self._run(_approvals.pending_call(session, answer))

    async def list_queue(self, session_id: str) -> GumloopObject:
        """As :meth:`gumloop_ffi.Sessions.list_queue`."""
        return await self._run(_queue.list_queue_call(session_id))

    async def queue_message(self, session_id: str, input: str) -> GumloopObject:
        """As :meth:`gumloop_ffi.Sessions.queue_message`."""
        return await self._run(_queue.queue_message_call(session_id, input))

    async def edit_queued_message(
        self, session_id: str, queued_message_id: str, input: str
    ) -> GumloopObject:
        """As :meth:`gumloop_ffi.Sessions.edit_queued_message`."""
        return await self._run(_queue.edit_queued_call(session_id, queued_message_id, input))

    async def delete_queued_message(self, session_id: str, queued_message_id: str) -> GumloopObject:
        """As :meth:`gumloop_ffi.Sessions.delete_queued_message`."""
        return await self._run(_queue.delete_queued_call(session_id, queued_message_id))

    async def send_queued_message(
        self, session_id: str, queued_message_id: str
    ) -> SessionResponse:
        """As :meth:`gumloop_ffi.Sessions.send_queued_message`."""
        return await self._run(_queue.send_queued_call(session_id, queued_message_id))

    async def get_access(self, session_id: str) -> GumloopObject:
        """As :meth:`gumloop_ffi.Sessions.get_access`."""
        return await self._run(_access.get_access_call(session_id))

    async def update_access(
        self,
        session_id: str,
        *,
        share: Optional[Sequence[Mapping[str, Any]]] = None,
        remove: Optional[Sequence[Mapping[str, Any]]] = None,
        link: Optional[Mapping[str, Any]] = None,
    ) -> GumloopObject:
        """As :meth:`gumloop_ffi.Sessions.update_access`."""
        return await self._run(_access.update_access_call(session_id, share, remove, link))


class AsyncAgents(AsyncResource):
    """``AsyncClient.agents``: the methods of :class:`~gumloop_ffi.Agents`, awaited."""

    async def list(
        self,
        *,
        search: Optional[str] = None,
        team_id: Optional[str] = None,
        page_size: Optional[int] = None,
        cursor: Optional[str] = None,
        summary: Optional[bool] = None,
        **extra: Any,
    ) -> GumloopObject:
        """As :meth:`gumloop_ffi.Agents.list`."""
        query = _agents.list_query(search, team_id, page_size, cursor, summary, extra)
        return await self._run(_agents.list_call(query, None))

    def list_all(
        self,
        *,
        search: Optional[str] = None,
        team_id: Optional[str] = None,
        page_size: Optional[int] = None,
        cursor: Optional[str] = None,
        summary: Optional[bool] = None,
        **extra: Any,
    ) -> AsyncIterator[GumloopObject]:
        """As :meth:`gumloop_ffi.Agents.list_all`, an async iterator (``async for agent in
        client.agents.list_all()``); arguments are checked at once, pages fetched as you
        iterate."""
        query = _agents.list_query(search, team_id, page_size, cursor, summary, extra)
        return async_pages(lambda c: self._run(_agents.list_call(query, c)), "agents", cursor)

    async def retrieve(self, agent_id: str) -> GumloopObject:
        """As :meth:`gumloop_ffi.Agents.retrieve`."""
        return await self._run(_agents.retrieve_call(agent_id))


class AsyncArtifacts(AsyncResource):
    """``AsyncClient.artifacts``: the methods of :class:`~gumloop_ffi.Artifacts`, awaited."""

    def __init__(self, client: "AsyncClient", max_response_bytes: Optional[int]) -> None:
        super().__init__(client)
        self._max_response_bytes = max_response_bytes

    async def list(
        self,
        agent_id: str,
        *,
        session_id: Optional[str] = None,
        search_query: Optional[str] = None,
        sort_order: Optional[str] = None,
        page_size: Optional[int] = None,
        cursor: Optional[str] = None,
        **extra: Any,
    ) -> GumloopObject:
        """As :meth:`gumloop_ffi.Artifacts.list`."""
        agent, query = _artifacts.list_args(
            agent_id, session_id, search_query, sort_order, page_size, cursor, extra
        )
        return await self._run(_artifacts.list_call(agent, query, None))

    def list_all(
        self,
        agent_id: str,
        *,
        session_id: Optional[str] = None,
        search_query: Optional[str] = None,
        sort_order: Optional[str] = None,
        page_size: Optional[int] = None,
        cursor: Optional[str] = None,
        **extra: Any,
    ) -> AsyncIterator[GumloopObject]:
        """As :meth:`gumloop_ffi.Artifacts.list_all`, an async iterator; arguments are checked
        at once, pages fetched as you iterate."""
        agent, query = _artifacts.list_args(
            agent_id, session_id, search_query, sort_order, page_size, cursor, extra
        )
        return async_pages(
            lambda c: self._run(_artifacts.list_call(agent, query, c)), "artifacts", cursor
        )

    async def download(self, artifact_id: str, *, version_id: Optional[str] = None) -> GumloopObject:
        """As :meth:`gumloop_ffi.Artifacts.download`."""
        return await self._run(_artifacts.download_call(artifact_id, version_id))

    async def download_to_file(
        self,
        artifact_id: str,
        path: Union[str, "os.PathLike[str]"],
        *,
        version_id: Optional[str] = None,
        max_bytes: Optional[int] = None,
    ) -> GumloopObject:
        """As :meth:`gumloop_ffi.Artifacts.download_to_file`."""
        call = _artifacts.download_to_file_call(artifact_id, path, version_id, max_bytes)
        return await self._run(call)

    async def download_bytes(
        self,
        artifact_id: str,
        *,
        version_id: Optional[str] = None,
        max_bytes: Optional[int] = None,
    ) -> bytes:
        """As :meth:`gumloop_ffi.Artifacts.download_bytes`: an artifact's bytes, at most
        ``max_bytes`` (default: the client's ``max_response_bytes`` when it was given, else the
        library's limit for a download to a file, 1 GiB).

        A poller's answer carries text only, so the bytes go through a file: the library
        downloads the artifact (``download_to_file``) into a private temporary directory (made
        with :func:`tempfile.mkdtemp`, readable by this user only), this reads the file back,
        and the directory is removed afterwards, whatever happened. The server's file name is
        never used as a path. The read and the removal run on the loop's thread."""
        limit = max_bytes if max_bytes is not None else self._max_response_bytes
        directory = tempfile.mkdtemp(prefix="gumloop-artifact-")
        try:
            call = _artifacts.download_to_file_call(artifact_id, directory, version_id, limit)
            written = await self._run(call)
            path = written._get_str("path")
            if path is None or os.path.dirname(path) != directory:
                raise invalid_response(f"the download went to {path!r}, not into {directory!r}", None)
            with open(path, "rb") as file:
                return file.read()
        finally:
            shutil.rmtree(directory, ignore_errors=True)
