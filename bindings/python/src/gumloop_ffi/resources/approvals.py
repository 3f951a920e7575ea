"""Answering a session's pending approvals: ``client.sessions.resolve_approvals`` and the
helpers :func:`accept` and :func:`reject` that build its answers."""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Union

from .. import _args
from .._errors import invalid_argument
from .._handles import CancelToken
from .._requests import Call, Param, Request
from .._resource import AsyncAPIResource, SyncAPIResource, parsed_object
from .._types import GumloopObject, Session, SessionResponse

#: A pending ask (an item of ``session.pending_approvals``) or its ``action_request_id``.
Ask = Union[str, Mapping[str, Any]]


def _ask_id(ask: Ask) -> str:
    if isinstance(ask, str):
        return ask
    if isinstance(ask, Mapping) and isinstance(ask.get("action_request_id"), str):
        return str(ask["action_request_id"])
    raise invalid_argument(
        "ask",
        "an ask is an item of `pending_approvals` or its `action_request_id` (a str)",
        wrong_type=True,
    )


def accept(
    ask: Ask, *, reason: Optional[str] = None, values: Optional[Mapping[str, Any]] = None
) -> Dict[str, Any]:
    """The answer that accepts ``ask``; ``values`` answers a human-input ask's questions
    (e.g. ``{"choice": "bravo"}``)."""
    answer: Dict[str, Any] = {"action_request_id": _ask_id(ask), "action": "accept"}
    if _args.check_str("reason", reason) is not None:
        answer["reason"] = reason
    mapping = _args.check_mapping("values", values)
    if mapping is not None:
        answer["response"] = {"values": dict(mapping)}
    return answer


def reject(ask: Ask, *, reason: Optional[str] = None) -> Dict[str, Any]:
    """The answer that rejects ``ask``, with an optional ``reason`` (at most 1000 characters)."""
    answer: Dict[str, Any] = {"action_request_id": _ask_id(ask), "action": "reject"}
    if _args.check_str("reason", reason) is not None:
        answer["reason"] = reason
    return answer


def _pending(session: Union[Session, SessionResponse]) -> List[GumloopObject]:
    if isinstance(session, SessionResponse):
        session = session.session
    if not isinstance(session, Session):
        raise invalid_argument(
            "session",
            "`session` must be a Session or SessionResponse (e.g. what wait() returned)",
            wrong_type=True,
        )
    return session.pending_approvals


def resolve_call(
    session_id: str,
    request: Optional[Mapping[str, Any]],
    approval_responses: Optional[Sequence[Mapping[str, Any]]],
) -> Call[GumloopObject]:
    """``resolve_approvals``: ``request`` as the body, with ``approval_responses`` set."""
    sid = _args.text("session_id", session_id)
    body: Dict[str, Any] = dict(_args.check_mapping("request", request) or {})
    answers = _args.check_list("approval_responses", approval_responses)
    if answers is not None:
        body["approval_responses"] = answers
    payload = _args.json_bytes("body", body)
    params = (Param("session_id", sid), Param("body", payload, True))
    return Call(
        Request("resolve_approvals", params), lambda text: parsed_object(text, "an approvals result")
    )


def pending_call(
    session: Union[Session, SessionResponse], answer: Callable[[Ask], Dict[str, Any]]
) -> Call[GumloopObject]:
    """``resolve_approvals`` answering every pending ask of ``session`` with ``answer(ask)``."""
    asks = _pending(session)
    sid = session.session.id if isinstance(session, SessionResponse) else session.id
    return resolve_call(sid, None, [answer(ask) for ask in asks])


class SessionApprovals(SyncAPIResource):
    """Approvals (part of ``client.sessions``)."""

    def resolve_approvals(
        self,
        session_id: str,
        request: Optional[Mapping[str, Any]] = None,
        *,
        approval_responses: Optional[Sequence[Mapping[str, Any]]] = None,
        cancel: Optional[CancelToken] = None,
    ) -> GumloopObject:
        """Answers pending approvals: ``POST /sessions/{session_id}/approvals``.

        Give ``approval_responses`` (built with :func:`accept` and :func:`reject`), or a whole
        ``request`` body ``{"approval_responses": [...]}``. Returns ``session``, ``results``
        (each with ``outcome``: ``accepted``, ``rejected``, ``already_accepted``,
        ``already_rejected``) and ``stream_cursor``: pass it to :meth:`resume_stream` to
        stream the continued run. A session not awaiting approval raises
        :class:`~gumloop_ffi.ConflictError` (``session_not_awaiting_approval``).
        """
        return self._run(resolve_call(session_id, request, approval_responses), cancel)

    def accept_pending(
        self,
        session: Union[Session, SessionResponse],
        *,
        reason: Optional[str] = None,
        cancel: Optional[CancelToken] = None,
    ) -> GumloopObject:
        """Accepts every pending tool approval of ``session`` (as :meth:`wait` returned it).
        Human-input asks need answers: give them with :func:`accept` and ``values``."""
        return self._run(pending_call(session, lambda ask: accept(ask, reason=reason)), cancel)

    def reject_pending(
        self,
        session: Union[Session, SessionResponse],
        *,
        reason: Optional[str] = None,
        cancel: Optional[CancelToken] = None,
    ) -> GumloopObject:
        """Rejects every pending ask of ``session`` (as :meth:`wait` returned it)."""
        return self._run(pending_call(session, lambda ask: reject(ask, reason=reason)), cancel)


class AsyncSessionApprovals(AsyncAPIResource):
    """Approvals, awaited (part of ``AsyncClient.sessions``)."""

    async def resolve_approvals(
        self,
        session_id: str,
        request: Optional[Mapping[str, Any]] = None,
        *,
        approval_responses: Optional[Sequence[Mapping[str, Any]]] = None,
    ) -> GumloopObject:
        """As :meth:`gumloop_ffi.Sessions.resolve_approvals`."""
        return await self._run(resolve_call(session_id, request, approval_responses))

    async def accept_pending(
        self, session: Union[Session, SessionResponse], *, reason: Optional[str] = None
    ) -> GumloopObject:
        """As :meth:`gumloop_ffi.Sessions.accept_pending`."""
        answer: Callable[[Ask], Dict[str, Any]] = lambda ask: accept(ask, reason=reason)
        return await self._run(pending_call(session, answer))

    async def reject_pending(
        self, session: Union[Session, SessionResponse], *, reason: Optional[str] = None
    ) -> GumloopObject:
        """As :meth:`gumloop_ffi.Sessions.reject_pending`."""
        answer: Callable[[Ask], Dict[str, Any]] = lambda ask: reject(ask, reason=reason)
        return await self._run(pending_call(session, answer))
