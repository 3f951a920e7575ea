"""Who can see a session (part of ``client.sessions``)."""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional, Sequence

from .. import _args
from .._handles import CancelToken
from .._requests import Call, Param, Request
from .._resource import AsyncAPIResource, SyncAPIResource, parsed_object
from .._types import GumloopObject


def _access_answer(text: Optional[str]) -> GumloopObject:
    return parsed_object(text, "an access document")


def get_access_call(session_id: str) -> Call[GumloopObject]:
    sid = _args.text("session_id", session_id)
    return Call(Request("get_session_access", (Param("session_id", sid),)), _access_answer)


def update_access_call(
    session_id: str,
    share: Optional[Sequence[Mapping[str, Any]]],
    remove: Optional[Sequence[Mapping[str, Any]]],
    link: Optional[Mapping[str, Any]],
) -> Call[GumloopObject]:
    sid = _args.text("session_id", session_id)
    body: Dict[str, Any] = {}
    for key, value in (("share", share), ("remove", remove)):
        items = _args.check_list(key, value)
        if items is not None:
            body[key] = items
    mapping = _args.check_mapping("link", link)
    if mapping is not None:
        body["link"] = dict(mapping)
    params = (Param("session_id", sid), Param("body", _args.json_bytes("body", body), True))
    return Call(Request("update_session_access", params), _access_answer)


class SessionAccess(SyncAPIResource):
    """A session's access document: read and change it."""

    def get_access(self, session_id: str, *, cancel: Optional[CancelToken] = None) -> GumloopObject:
        """``GET /sessions/{session_id}/access``: ``access`` with ``people``, ``teams``,
        ``organization_access``, ``link``, ``link_role``, ``password_protected``."""
        return self._run(get_access_call(session_id), cancel)

    def update_access(
        self,
        session_id: str,
        *,
        share: Optional[Sequence[Mapping[str, Any]]] = None,
        remove: Optional[Sequence[Mapping[str, Any]]] = None,
        link: Optional[Mapping[str, Any]] = None,
        cancel: Optional[CancelToken] = None,
    ) -> GumloopObject:
        """``PUT /sessions/{session_id}/access``. ``share``: ``{"type": "person", "email",
        "role"}``, ``{"type": "team", "team_id", "role"}`` or ``{"type": "organization",
        "role"}``; ``remove``: the same without ``role``; ``link``: ``{"mode": "none" |
        "anyone" | "password", "role"}``. Returns the new ``access`` and ``notified``."""
        return self._run(update_access_call(session_id, share, remove, link), cancel)


class AsyncSessionAccess(AsyncAPIResource):
    """A session's access document, awaited (part of ``AsyncClient.sessions``)."""

    async def get_access(self, session_id: str) -> GumloopObject:
        """As :meth:`gumloop_ffi.Sessions.get_access`."""
        return await self._run(get_access_call(session_id))

    async def update_access(
        self,
        session_id: str,
        *,
        share: Optional[Sequence[Mapping[str, Any]]] = None,
        remove: Optional[Sequence[Mapping[str, Any]]] = None,
        link: Optional[Mapping[str, Any]] = None,
    ) -> GumloopObject:
        """As :meth:`gumloop_ffi.Sessions.update_access`."""
        return await self._run(update_access_call(session_id, share, remove, link))
