"""A session's message queue (part of ``client.sessions``)."""

from __future__ import annotations

from typing import Optional

from . import _args
from ._handles import CancelToken
from ._resource import Resource, parsed_object
from ._types import GumloopObject, SessionResponse, parse_session_response
from ._resource import parsed


def _input_body(input: object) -> bytes:
    return _args.json_bytes("body", {"input": _args.text("input", input).decode("utf-8")})


class SessionQueue(Resource):
    """The queue of messages waiting for a session's current run to end."""

    def list_queue(self, session_id: str, *, cancel: Optional[CancelToken] = None) -> GumloopObject:
        """``GET /sessions/{session_id}/queue``: ``queue``, each entry with ``id``, ``input``,
        ``state`` (``queued`` or ``editing``) and ``position`` (from 1)."""
        sid = _args.text("session_id", session_id)
        return parsed_object(self._native_call("gumloop_client_list_queue", sid, cancel=cancel), "a queue")

    def queue_message(
        self, session_id: str, input: str, *, cancel: Optional[CancelToken] = None
    ) -> GumloopObject:
        """Adds a message to the queue: ``POST /sessions/{session_id}/queue``. Returns
        ``queued_message`` and ``queue``; a full queue raises
        :class:`~gumloop_ffi.ConflictError` (``queue_full``). It is sent automatically when the
        current run ends. Not repeated after an unknown outcome; for a deduplicated add use
        ``send(..., delivery="queued", idempotency_key=...)``."""
        sid = _args.text("session_id", session_id)
        text = self._native_call("gumloop_client_queue_message", sid, _input_body(input), cancel=cancel)
        return parsed_object(text, "a queued message")

    def edit_queued_message(
        self,
        session_id: str,
        queued_message_id: str,
        input: str,
        *,
        cancel: Optional[CancelToken] = None,
    ) -> GumloopObject:
        """Replaces a queued message's text: ``PATCH /sessions/{id}/queue/{queued_message_id}``."""
        sid = _args.text("session_id", session_id)
        qid = _args.text("queued_message_id", queued_message_id)
        text = self._native_call(
            "gumloop_client_edit_queued_message", sid, qid, _input_body(input), cancel=cancel
        )
        return parsed_object(text, "a queued message")

    def delete_queued_message(
        self, session_id: str, queued_message_id: str, *, cancel: Optional[CancelToken] = None
    ) -> GumloopObject:
        """Removes a queued message: ``DELETE /sessions/{id}/queue/{queued_message_id}``;
        returns the ``queue`` left."""
        sid = _args.text("session_id", session_id)
        qid = _args.text("queued_message_id", queued_message_id)
        text = self._native_call("gumloop_client_delete_queued_message", sid, qid, cancel=cancel)
        return parsed_object(text, "a queue")

    def send_queued_message(
        self, session_id: str, queued_message_id: str, *, cancel: Optional[CancelToken] = None
    ) -> SessionResponse:
        """Sends a queued message now, aborting the current run:
        ``POST /sessions/{id}/queue/{queued_message_id}/send``; returns the session."""
        sid = _args.text("session_id", session_id)
        qid = _args.text("queued_message_id", queued_message_id)
        text = self._native_call("gumloop_client_send_queued_message", sid, qid, cancel=cancel)
        return parsed(text, parse_session_response, "a session")
