"""Uploads, attachments and approvals through the Python package, against the emulator."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

import gumloop_ffi
from gumloop_ffi import accept, reject

from conftest import Emulator, sent_body


def _answer(response: gumloop_ffi.SessionResponse) -> str:
    texts = [m.get("content") or "" for m in response.session.messages if m.get("role") == "assistant"]
    return texts[-1] if texts else ""


def test_upload_bytes_and_a_path_then_attach(
    ada: gumloop_ffi.Client, emulator: Emulator, tmp_path: Path
) -> None:
    sid = ada.sessions.create("agent_pro").session.id
    data = bytes(range(256)) * 4
    stored = ada.sessions.upload_file(sid, "../x/raw.bin", data, media_type="application/x-demo")
    assert stored.file_name == f"sessions/{sid}/files/raw.bin"
    assert stored.size == len(data)
    logged = [r for r in emulator.requests() if r["path"].endswith("/files")][-1]
    assert base64.b64decode(sent_body(logged)["file_content"]) == data

    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"hello from a file")
    from_path = ada.sessions.upload_file(sid, None, notes)
    assert from_path.file_name == f"sessions/{sid}/files/notes.txt"
    assert from_path.size == 17

    ada.sessions.send(sid, "read it", attachments=[{"file_name": from_path.file_name}])
    done = ada.sessions.wait(sid)
    assert done.session.state == "completed"
    assert "notes.txt" in _answer(done) and "17" in _answer(done)


def test_upload_bad_inputs_send_nothing(
    ada: gumloop_ffi.Client, emulator: Emulator, tmp_path: Path
) -> None:
    sid = ada.sessions.create("agent_pro").session.id
    emulator.clear_log()
    with pytest.raises(gumloop_ffi.InvalidArgumentTypeError) as wrong:
        ada.sessions.upload_file(sid, "a.txt", "text is not bytes")  # type: ignore[arg-type]
    assert wrong.value.param == "file_content"
    with pytest.raises(gumloop_ffi.InvalidArgumentError) as missing:
        ada.sessions.upload_file(sid, None, tmp_path / "absent.txt")
    assert missing.value.param == "file_content"
    with pytest.raises(gumloop_ffi.InvalidArgumentError) as empty:
        ada.sessions.upload_file(sid, "", b"x")
    assert empty.value.param == "file_name"
    with gumloop_ffi.Client("gk_personal_ada", user_id="user_ada", max_upload_bytes=4) as capped:
        with pytest.raises(gumloop_ffi.InvalidArgumentError) as over:
            capped.sessions.upload_file(sid, "a.txt", b"12345")
        assert over.value.param == "data"
        assert capped.sessions.upload_file(sid, "a.txt", b"1234").size == 4
    assert [r for r in emulator.requests() if r["path"].endswith("/files")] and all(
        base64.b64decode(sent_body(r)["file_content"]) == b"1234"
        for r in emulator.requests()
        if r["path"].endswith("/files")
    )


def test_wait_stops_at_approval_then_accept_and_stream_the_continuation(
    ada: gumloop_ffi.Client,
) -> None:
    sid = ada.sessions.create("agent_pro", "deploy [approval:2]").session.id
    paused = ada.sessions.wait(sid)
    assert paused.session.state == "approval_required"
    asks = paused.session.pending_approvals
    assert len(asks) == 2 and all(a.type == "tool_approval" for a in asks)

    result = ada.sessions.resolve_approvals(
        sid, approval_responses=[accept(asks[0]), reject(asks[1], reason="not now")]
    )
    assert [r["outcome"] for r in result.results] == ["accepted", "rejected"]
    assert isinstance(result.stream_cursor, str)
    with ada.sessions.resume_stream(sid, result.stream_cursor) as events:
        text = "".join(e.delta or "" for e in events)
    assert text and events.summary is not None and events.summary.finish_reason == "stop"
    assert ada.sessions.wait(sid).session.state == "completed"


def test_accept_pending_and_reject_pending_helpers(ada: gumloop_ffi.Client) -> None:
    sid = ada.sessions.create("agent_pro", "go [approval:3]").session.id
    result = ada.sessions.accept_pending(ada.sessions.wait(sid))
    assert [r["outcome"] for r in result.results] == ["accepted"] * 3
    assert ada.sessions.wait(sid).session.state == "completed"

    other = ada.sessions.create("agent_pro", "go [approval]").session.id
    rejected = ada.sessions.reject_pending(ada.sessions.wait(other), reason="no")
    assert [r["outcome"] for r in rejected.results] == ["rejected"]


def test_streamed_human_input_answer(ada: gumloop_ffi.Client) -> None:
    sid = ada.sessions.create("agent_pro", "pick [human_input]").session.id
    ask = ada.sessions.wait(sid).session.pending_approvals[0]
    assert ask.type == "human_input"
    choice = ask.questions[0]["options"][0]
    with ada.sessions.stream_message(
        sid, approval_responses=[accept(ask, values={"choice": choice})]
    ) as events:
        list(events)
    assert events.summary is not None and events.summary.final
    done = ada.sessions.wait(sid)
    assert done.session.state == "completed" and choice in _answer(done)


def test_approval_errors(ada: gumloop_ffi.Client, emulator: Emulator) -> None:
    sid = ada.sessions.create("agent_pro").session.id
    emulator.clear_log()
    with pytest.raises(gumloop_ffi.InvalidArgumentError) as empty:
        ada.sessions.resolve_approvals(sid, approval_responses=[])
    assert empty.value.param == "approval_responses"
    with pytest.raises(gumloop_ffi.InvalidArgumentError):
        accept(42)  # type: ignore[arg-type]
    assert emulator.requests() == []
    with pytest.raises(gumloop_ffi.ConflictError) as conflict:
        ada.sessions.resolve_approvals(sid, approval_responses=[accept("areq_x")])
    assert conflict.value.code == "session_not_awaiting_approval"
