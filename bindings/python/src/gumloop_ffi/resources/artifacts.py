"""``client.artifacts``: the files agents produced. List them and fetch their bytes."""

from __future__ import annotations

import os
from typing import Any, AsyncIterator, Dict, Iterator, Mapping, Optional, Tuple, Union

from .. import _args
from .._handles import CancelToken, check_token
from .._requests import Call, Param, Request
from .._resource import AsyncAPIResource, async_pages, _Starter, SyncAPIResource, all_pages, parsed_object, query_fields, query_json
from .._types import GumloopObject


def list_args(
    agent_id: str,
    session_id: Optional[str],
    search_query: Optional[str],
    sort_order: Optional[str],
    page_size: Optional[int],
    cursor: Optional[str],
    extra: Mapping[str, Any],
) -> Tuple[bytes, Dict[str, Any]]:
    """``list_artifacts``' agent and query, checked."""
    agent = _args.text("agent_id", agent_id)
    query = query_fields(
        {
            "session_id": _args.check_str("session_id", session_id),
            "search_query": _args.check_str("search_query", search_query),
            "sort_order": _args.check_str("sort_order", sort_order),
            "page_size": _args.check_int("page_size", page_size, minimum=1),
            "cursor": _args.check_str("cursor", cursor),
        },
        extra,
    )
    return agent, query


def _download_options(version_id: Optional[str], max_bytes: Optional[int]) -> Optional[bytes]:
    return query_json(
        query_fields(
            {
                "version_id": _args.check_str("version_id", version_id),
                "max_bytes": _args.check_positive_int("max_bytes", max_bytes),
            },
            {},
        )
    )


def list_call(agent: bytes, query: Dict[str, Any], cursor: Optional[str]) -> Call[GumloopObject]:
    """One page of ``list_artifacts`` (``cursor`` overrides the query's)."""
    params = (Param("agent_id", agent), Param("query", query_json(query, cursor), True))
    return Call(
        Request("list_artifacts", params), lambda text: parsed_object(text, "a page of artifacts")
    )


def download_call(artifact_id: str, version_id: Optional[str]) -> Call[GumloopObject]:
    aid = _args.text("artifact_id", artifact_id)
    version = _args.optional_text("version_id", version_id)
    request = Request(
        "get_artifact_download", (Param("artifact_id", aid), Param("version_id", version))
    )
    return Call(request, lambda text: parsed_object(text, "an artifact download"))


def download_to_file_call(
    artifact_id: str,
    path: Union[str, "os.PathLike[str]"],
    version_id: Optional[str],
    max_bytes: Optional[int],
) -> Call[GumloopObject]:
    aid = _args.text("artifact_id", artifact_id)
    destination = _args.text("path", _args.check_path("path", path))
    options = _download_options(version_id, max_bytes)
    params = (Param("artifact_id", aid), Param("path", destination), Param("options", options, True))
    return Call(
        Request("download_artifact_to_file", params),
        lambda text: parsed_object(text, "a downloaded artifact"),
    )


def download_request(
    artifact_id: str, version_id: Optional[str], max_bytes: Optional[int]
) -> Request:
    """``download_artifact``, whose result is the artifact's bytes."""
    aid = _args.text("artifact_id", artifact_id)
    options = _download_options(version_id, max_bytes)
    return Request("download_artifact", (Param("artifact_id", aid), Param("options", options, True)))


class Artifacts(SyncAPIResource):
    """Artifacts: what agents produced. Methods take ``cancel=`` as everywhere."""


    def list(
        self,
        agent_id: str,
        *,
        session_id: Optional[str] = None,
        search_query: Optional[str] = None,
        sort_order: Optional[str] = None,
        page_size: Optional[int] = None,
        cursor: Optional[str] = None,
        cancel: Optional[CancelToken] = None,
        **extra: Any,
    ) -> GumloopObject:
        """One page of an agent's artifacts (``session_id`` narrows to one session):
        ``GET /agents/{agent_id}/artifacts``. Returns ``artifacts`` and ``next_cursor``."""
        agent, query = list_args(
            agent_id, session_id, search_query, sort_order, page_size, cursor, extra
        )
        return self._page(agent, query, None, cancel)

    def list_all(
        self,
        agent_id: str,
        *,
        session_id: Optional[str] = None,
        search_query: Optional[str] = None,
        sort_order: Optional[str] = None,
        page_size: Optional[int] = None,
        cursor: Optional[str] = None,
        cancel: Optional[CancelToken] = None,
        **extra: Any,
    ) -> Iterator[GumloopObject]:
        """Every matching artifact across all pages, fetched as you iterate."""
        agent, query = list_args(
            agent_id, session_id, search_query, sort_order, page_size, cursor, extra
        )
        check_token(cancel)
        return all_pages(lambda c: self._page(agent, query, c, cancel), "artifacts", cursor)

    def download(
        self,
        artifact_id: str,
        *,
        version_id: Optional[str] = None,
        cancel: Optional[CancelToken] = None,
    ) -> GumloopObject:
        """Where an artifact's bytes are: ``GET /artifacts/{artifact_id}/download`` gives
        ``download_url`` (a signed link: treat it as a secret), ``filename``, ``media_type``,
        ``size``. To fetch the bytes use :meth:`download_bytes` or :meth:`download_to_file`,
        which never send Gumloop credentials to another host."""
        return self._run(download_call(artifact_id, version_id), cancel)

    def download_bytes(
        self,
        artifact_id: str,
        *,
        version_id: Optional[str] = None,
        max_bytes: Optional[int] = None,
        cancel: Optional[CancelToken] = None,
    ) -> bytes:
        """An artifact's bytes, at most ``max_bytes`` (default: the client's
        ``max_response_bytes``; more raises :class:`~gumloop_ffi.InvalidResponseError`
        ``GUMLOOP_ERR_RESPONSE_TOO_LARGE``), in memory. No error ever shows the signed URL's
        query."""
        return self._call_with_bytes(download_request(artifact_id, version_id, max_bytes), cancel)[1]

    def download_to_file(
        self,
        artifact_id: str,
        path: Union[str, "os.PathLike[str]"],
        *,
        version_id: Optional[str] = None,
        max_bytes: Optional[int] = None,
        cancel: Optional[CancelToken] = None,
    ) -> GumloopObject:
        """Writes an artifact to ``path``: a file, or an existing directory into which the
        server's file name goes, reduced to a plain name (never a path). The bytes go to a
        temporary file renamed into place when complete; a failure leaves nothing behind. At
        most ``max_bytes`` (default 1 GiB). Returns ``artifact_id``, ``filename``,
        ``media_type``, ``size`` and ``path`` (where it was written)."""
        return self._run(download_to_file_call(artifact_id, path, version_id, max_bytes), cancel)

    def _page(
        self,
        agent: bytes,
        query: Dict[str, Any],
        cursor: Optional[str],
        cancel: Optional[CancelToken],
    ) -> GumloopObject:
        return self._run(list_call(agent, query, cursor), cancel)


class AsyncArtifacts(AsyncAPIResource):
    """``AsyncClient.artifacts``: the methods of :class:`~gumloop_ffi.Artifacts`, awaited."""


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
        agent, query = list_args(
            agent_id, session_id, search_query, sort_order, page_size, cursor, extra
        )
        return await self._run(list_call(agent, query, None))

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
        agent, query = list_args(
            agent_id, session_id, search_query, sort_order, page_size, cursor, extra
        )
        return async_pages(
            lambda c: self._run(list_call(agent, query, c)), "artifacts", cursor
        )

    async def download(self, artifact_id: str, *, version_id: Optional[str] = None) -> GumloopObject:
        """As :meth:`gumloop_ffi.Artifacts.download`."""
        return await self._run(download_call(artifact_id, version_id))

    async def download_to_file(
        self,
        artifact_id: str,
        path: Union[str, "os.PathLike[str]"],
        *,
        version_id: Optional[str] = None,
        max_bytes: Optional[int] = None,
    ) -> GumloopObject:
        """As :meth:`gumloop_ffi.Artifacts.download_to_file`."""
        call = download_to_file_call(artifact_id, path, version_id, max_bytes)
        return await self._run(call)

    async def download_bytes(
        self,
        artifact_id: str,
        *,
        version_id: Optional[str] = None,
        max_bytes: Optional[int] = None,
    ) -> bytes:
        """As :meth:`gumloop_ffi.Artifacts.download_bytes`."""
        request = download_request(artifact_id, version_id, max_bytes)
        return (await self._call_with_bytes(request))[1]
