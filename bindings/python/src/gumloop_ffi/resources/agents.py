"""``client.agents``: finding an agent's ID and checking it."""

from __future__ import annotations

from typing import Any, AsyncIterator, Dict, Iterator, Mapping, Optional

from .. import _args
from .._handles import CancelToken, check_token
from .._requests import Call, Param, Request
from .._resource import AsyncAPIResource, async_pages, SyncAPIResource, all_pages, parsed_object, query_fields, query_json
from .._types import GumloopObject


def list_query(
    search: Optional[str],
    team_id: Optional[str],
    page_size: Optional[int],
    cursor: Optional[str],
    summary: Optional[bool],
    extra: Mapping[str, Any],
) -> Dict[str, Any]:
    return query_fields(
        {
            "search": _args.check_str("search", search),
            "team_id": _args.check_str("team_id", team_id),
            "page_size": _args.check_int("page_size", page_size, minimum=1),
            "cursor": _args.check_str("cursor", cursor),
            "summary": _args.check_bool("summary", summary),
        },
        extra,
    )


def list_call(query: Dict[str, Any], cursor: Optional[str]) -> Call[GumloopObject]:
    """One page of ``list_agents`` (``cursor`` overrides the query's)."""
    request = Request("list_agents", (Param("query", query_json(query, cursor), True),))
    return Call(request, lambda text: parsed_object(text, "a page of agents"))


def retrieve_call(agent_id: str) -> Call[GumloopObject]:
    request = Request("get_agent", (Param("agent_id", _args.text("agent_id", agent_id)),))
    return Call(request, lambda text: parsed_object(text, "an agent"))


class Agents(SyncAPIResource):
    """The agents the caller can read. Methods block their thread until answered and take
    ``cancel=`` as everywhere."""

    def list(
        self,
        *,
        search: Optional[str] = None,
        team_id: Optional[str] = None,
        page_size: Optional[int] = None,
        cursor: Optional[str] = None,
        summary: Optional[bool] = None,
        cancel: Optional[CancelToken] = None,
        **extra: Any,
    ) -> GumloopObject:
        """One page of agents: ``GET /agents``. ``search`` matches name and description;
        ``summary=True`` trims each agent to its identity, model, creator and activity fields.
        Returns ``agents`` and ``next_cursor`` (None on the last page); :meth:`list_all`
        follows the cursors."""
        query = list_query(search, team_id, page_size, cursor, summary, extra)
        return self._page(query, None, cancel)

    def list_all(
        self,
        *,
        search: Optional[str] = None,
        team_id: Optional[str] = None,
        page_size: Optional[int] = None,
        cursor: Optional[str] = None,
        summary: Optional[bool] = None,
        cancel: Optional[CancelToken] = None,
        **extra: Any,
    ) -> Iterator[GumloopObject]:
        """Every matching agent across all pages, fetched as you iterate (arguments as for
        :meth:`list`, checked at once; request errors are raised by ``next()``)."""
        query = list_query(search, team_id, page_size, cursor, summary, extra)
        check_token(cancel)
        return all_pages(lambda c: self._page(query, c, cancel), "agents", cursor)

    def retrieve(self, agent_id: str, *, cancel: Optional[CancelToken] = None) -> GumloopObject:
        """``GET /agents/{agent_id}``: ``agent`` (aliases ``gumball`` and ``analytics`` too)."""
        return self._run(retrieve_call(agent_id), cancel)

    def _page(
        self, query: Dict[str, Any], cursor: Optional[str], cancel: Optional[CancelToken]
    ) -> GumloopObject:
        return self._run(list_call(query, cursor), cancel)


class AsyncAgents(AsyncAPIResource):
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
        query = list_query(search, team_id, page_size, cursor, summary, extra)
        return await self._run(list_call(query, None))

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
        query = list_query(search, team_id, page_size, cursor, summary, extra)
        return async_pages(lambda c: self._run(list_call(query, c)), "agents", cursor)

    async def retrieve(self, agent_id: str) -> GumloopObject:
        """As :meth:`gumloop_ffi.Agents.retrieve`."""
        return await self._run(retrieve_call(agent_id))
