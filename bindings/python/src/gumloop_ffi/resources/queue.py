"""A session's message queue (part of ``client.sessions``)."""

from __future__ import annotations

from typing import Optional

from .. import _args
from .._handles import CancelToken
from .._requests import Call, Param, Request
from .._resource import AsyncAPIResource, SyncAPIResource, parsed, parsed_object
from .._types import GumloopObject, SessionResponse, parse_session_response


def _input_body(input: object) -> Param:
    text = _args.text("input", input).decode("utf-8")
    return Param("body", _args.json_bytes("body", {"input": text}), True)


def _queue_answer(text: Optional[str]) -> GumloopObject:
    return parsed_object(text, "a queue")


def _queued_answer(text: Optional[str]) -> GumloopObject:
    return parsed_object(text, "a queued message")


def _on_queued(operation: str, session_id: str, queued_message_id: str) -> Request:
    sid = _args.text("session_id", session_id)
    qid = _args.text("queued_message_id", queued_message_id)
    return Request(operation, (Param("session_id", sid), Param("queued_message_id", qid)))


def list_queue_call(session_id: str) -> Call[GumloopObject]:
    sid = _args.text("session_id", session_id)
    return Call(Request("list_queue", (Param("session_id", sid),)), _queue_answer)


def queue_message_call(session_id: str, input: str) -> Call[GumloopObject]:
    sid = _args.text("session_id", session_id)
    request = Request("queue_message", (Param("session_id", sid), _input_body(input)))
    return Call(request, _queued_answer)


def edit_queued_call(session_id: str, queued_message_id: str, input: str) -> Call[GumloopObject]:
    on = _on_queued("edit_queued_message", session_id, queued_message_id)
    return Call(Request(on.operation, on.params + (_input_body(input),)), _queued_answer)


def delete_queued_call(session_id: str, queued_message_id: str) -> Call[GumloopObject]:
    return Call(_on_queued("delete_queued_message", session_id, queued_message_id), _queue_answer)


def send_queued_call(session_id: str, queued_message_id: str) -> Call[SessionResponse]:
    return Call(
        _on_queued("send_queued_message", session_id, queued_message_id),
        lambda text: parsed(text, parse_session_response, "a session"),
    )


class SessionQueue(SyncAPIResource):
    """The queue of messages waiting for a session's current run to end."""

    def list_queue(self, session_id: str, *, cancel: Optional[CancelToken] = None) -> GumloopObject:
        """``GET /sessions/{session_id}/queue``: ``queue``, each entry with ``id``, ``input``,
        ``state`` (``queued`` or ``editing``) and ``position`` (from 1)."""
        return self._run(list_queue_call(session_id), cancel)

    def queue_message(
        self, session_id: str, input: str, *, cancel: Optional[CancelToken] = None
    ) -> GumloopObject:
        """Adds a message to the queue: ``POST /sessions/{session_id}/queue``. Returns
        ``queued_message`` and ``queue``; a full queue raises
        :class:`~gumloop_ffi.ConflictError` (``queue_full``). It is sent automatically when the
        current run ends. Not repeated after an unknown outcome; for a deduplicated add use
        ``send(..., delivery="queued", idempotency_key=...)``."""
        return self._run(queue_message_call(session_id, input), cancel)

    def edit_queued_message(
        self,
        session_id: str,
        queued_message_id: str,
        input: str,
        *,
        cancel: Optional[CancelToken] = None,
    ) -> GumloopObject:
        """Replaces a queued message's text: ``PATCH /sessions/{id}/queue/{queued_message_id}``."""
        return self._run(edit_queued_call(session_id, queued_message_id, input), cancel)

    def delete_queued_message(
        self, session_id: str, queued_message_id: str, *, cancel: Optional[CancelToken] = None
    ) -> GumloopObject:
        """Removes a queued message: ``DELETE /sessions/{id}/queue/{queued_message_id}``;
        returns the ``queue`` left."""
        return self._run(delete_queued_call(session_id, queued_message_id), cancel)

    def send_queued_message(
        self, session_id: str, queued_message_id: str, *, cancel: Optional[CancelToken] = None
    ) -> SessionResponse:
        """Sends a queued message now, aborting the current run:
        ``POST /sessions/{id}/queue/{queued_message_id}/send``; returns the session."""
        return self._run(send_queued_call(session_id, queued_message_id), cancel)


class AsyncSessionQueue(AsyncAPIResource):
    """A session's message queue, awaited (part of ``AsyncClient.sessions``)."""

    async def list_queue(self, session_id: str) -> GumloopObject:
        """As :meth:`gumloop_ffi.Sessions.list_queue`."""
        return await self._run(list_queue_call(session_id))

    async def queue_message(self, session_id: str, input: str) -> GumloopObject:
        """As :meth:`gumloop_ffi.Sessions.queue_message`."""
        return await self._run(queue_message_call(session_id, input))

    async def edit_queued_message(
        self, session_id: str, queued_message_id: str, input: str
    ) -> GumloopObject:
        """As :meth:`gumloop_ffi.Sessions.edit_queued_message`."""
        return await self._run(edit_queued_call(session_id, queued_message_id, input))

    async def delete_queued_message(self, session_id: str, queued_message_id: str) -> GumloopObject:
        """As :meth:`gumloop_ffi.Sessions.delete_queued_message`."""
        return await self._run(delete_queued_call(session_id, queued_message_id))

    async def send_queued_message(
        self, session_id: str, queued_message_id: str
    ) -> SessionResponse:
        """As :meth:`gumloop_ffi.Sessions.send_queued_message`."""
        return await self._run(send_queued_call(session_id, queued_message_id))
