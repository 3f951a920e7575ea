"""The queue, queued delivery and session access through the Python package."""

from __future__ import annotations

from typing import List

import pytest

import gumloop_ffi

from conftest import Emulator


def _inputs(answer: gumloop_ffi.GumloopObject) -> List[str]:
    return [q["input"] for q in answer.queue]


def test_queue_add_edit_delete_and_send_now(ada: gumloop_ffi.Client) -> None:
    sid = ada.sessions.create("agent_pro", "[slow:60000] long").session.id
    first = ada.sessions.queue_message(sid, "first").queued_message
    second = ada.sessions.queue_message(sid, "second").queued_message
    assert (first.position, second.position) == (1, 2)
    assert _inputs(ada.sessions.list_queue(sid)) == ["first", "second"]
    edited = ada.sessions.edit_queued_message(sid, first.id, "first, edited")
    assert edited.queued_message.input == "first, edited"
    assert _inputs(ada.sessions.delete_queued_message(sid, second.id)) == ["first, edited"]
    sent = ada.sessions.send_queued_message(sid, first.id)
    assert isinstance(sent, gumloop_ffi.SessionResponse)
    assert sent.session.state == "processing"
    assert ada.sessions.list_queue(sid).queue == []


def test_queue_errors(ada: gumloop_ffi.Client, emulator: Emulator) -> None:
    sid = ada.sessions.create("agent_pro", "[slow:60000] long").session.id
    emulator.clear_log()
    with pytest.raises(gumloop_ffi.InvalidArgumentError) as blank:
        ada.sessions.queue_message(sid, "   ")
    assert blank.value.param == "input"
    with pytest.raises(gumloop_ffi.InvalidArgumentTypeError):
        ada.sessions.queue_message(sid, 5)  # type: ignore[arg-type]
    assert emulator.requests() == []
    with pytest.raises(gumloop_ffi.NotFoundError):
        ada.sessions.delete_queued_message(sid, "qmsg_nope")
    for i in range(20):
        ada.sessions.queue_message(sid, f"m{i}")
    with pytest.raises(gumloop_ffi.ConflictError) as full:
        ada.sessions.queue_message(sid, "too many")
    assert full.value.code == "queue_full"


def test_queued_delivery_replays_by_key(ada: gumloop_ffi.Client) -> None:
    sid = ada.sessions.create("agent_pro", "[slow:60000] long").session.id
    one = ada.sessions.send(sid, "later", delivery="queued", idempotency_key="k-1")
    two = ada.sessions.send(sid, "later", delivery="queued", idempotency_key="k-1")
    assert one.message_id == two.message_id
    assert _inputs(ada.sessions.list_queue(sid)) == ["later"]


def test_access_get_and_update(ada: gumloop_ffi.Client, emulator: Emulator) -> None:
    sid = ada.sessions.create("agent_pro").session.id
    assert isinstance(ada.sessions.get_access(sid).access["people"], list)
    changed = ada.sessions.update_access(
        sid,
        share=[{"type": "person", "email": "grace@example.com", "role": "viewer"}],
        link={"mode": "anyone", "role": "viewer"},
    )
    assert changed.notified == ["grace@example.com"]
    assert changed.access["link"] == "anyone"
    removed = ada.sessions.update_access(
        sid, remove=[{"type": "person", "email": "grace@example.com"}]
    )
    assert all(p["email"] != "grace@example.com" for p in removed.access["people"])
    emulator.clear_log()
    with pytest.raises(gumloop_ffi.InvalidArgumentError):
        ada.sessions.update_access(sid)
    with pytest.raises(gumloop_ffi.InvalidArgumentTypeError):
        ada.sessions.update_access(sid, share="everyone")  # type: ignore[arg-type]
    assert emulator.requests() == []
    with pytest.raises(gumloop_ffi.BadRequestError):
        ada.sessions.update_access(sid, link={"mode": "sideways"})
