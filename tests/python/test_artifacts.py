"""Artifacts through the Python package: list, and download to memory or a file."""

from __future__ import annotations

from pathlib import Path

import pytest

import gumloop_ffi

from conftest import Emulator


def _finished(client: gumloop_ffi.Client, input: str) -> str:
    sid = client.sessions.create("agent_pro", input).session.id
    assert client.sessions.wait(sid).session.state == "completed"
    return sid


def test_list_and_download(ada: gumloop_ffi.Client, emulator: Emulator, tmp_path: Path) -> None:
    sid = _finished(ada, "[artifact:notes.txt] [artifact:../up/data.bin:300]")
    page = ada.artifacts.list("agent_pro", session_id=sid, page_size=1)
    assert len(page.artifacts) == 1 and isinstance(page.next_cursor, str)
    every = {a.filename: a.id for a in ada.artifacts.list_all("agent_pro", session_id=sid)}
    assert sorted(every) == ["../up/data.bin", "notes.txt"]

    ticket = ada.artifacts.download(every["notes.txt"])
    assert isinstance(ticket.download_url, str) and ticket.filename == "notes.txt"
    emulator.clear_log()
    content = ada.artifacts.download_bytes(every["notes.txt"])
    assert content == f"Artifact notes.txt of session {sid}\n".encode()
    storage = [r for r in emulator.requests() if r["listener"] == "storage"]
    assert len(storage) == 1 and "authorization" not in storage[0]["headers"]

    written = ada.artifacts.download_to_file(every["../up/data.bin"], tmp_path)
    assert written.path == str(tmp_path / "data.bin") and written.size == 300
    assert [p.name for p in tmp_path.iterdir()] == ["data.bin"]
    target = tmp_path / "copy.bin"
    ada.artifacts.download_to_file(every["../up/data.bin"], target)
    assert target.read_bytes() == (tmp_path / "data.bin").read_bytes()


def test_download_limits_and_errors(
    ada: gumloop_ffi.Client, emulator: Emulator, tmp_path: Path
) -> None:
    sid = _finished(ada, "[artifact:big.bin:5000]")
    aid = ada.artifacts.list("agent_pro", session_id=sid).artifacts[0].id
    with pytest.raises(gumloop_ffi.GumloopError) as large:
        ada.artifacts.download_bytes(aid, max_bytes=10)
    assert large.value.kind == "GUMLOOP_ERR_RESPONSE_TOO_LARGE"
    with pytest.raises(gumloop_ffi.GumloopError):
        ada.artifacts.download_to_file(aid, tmp_path, max_bytes=10)
    assert list(tmp_path.iterdir()) == []
    emulator.arm(listener="storage", method="GET", path="/artifacts/**", times=3, status=500)
    with pytest.raises(gumloop_ffi.APIStatusError) as failed:
        ada.artifacts.download_bytes(aid)
    assert "signature=" not in str(failed.value) and "signature=" not in str(failed.value.body)
    with pytest.raises(gumloop_ffi.NotFoundError):
        ada.artifacts.download_bytes("art_missing")
    emulator.clear_log()
    with pytest.raises(gumloop_ffi.InvalidArgumentError):
        ada.artifacts.download_bytes(aid, max_bytes=0)
    with pytest.raises(gumloop_ffi.InvalidArgumentTypeError):
        ada.artifacts.list("agent_pro", session_id=5)  # type: ignore[arg-type]
    assert emulator.requests() == []
