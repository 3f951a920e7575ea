"""AsyncClient beyond sessions' core methods, against the emulator: uploads, approvals, the
queue, access, agents, artifacts and the raw request, each awaited on the poller with the
blocking client's arguments, answers and exceptions."""

from __future__ import annotations

import asyncio
import base64
import tempfile
from pathlib import Path
from typing import List

import pytest

import gumloop_ffi
from gumloop_ffi import AsyncClient, accept, reject

from conftest import Emulator, sent_body
from test_async import run, until
from test_files_approvals import _answer


def _inputs(answer: gumloop_ffi.GumloopObject) -> List[str]:
    return [q["input"] for q in answer.queue]


def test_async_upload_then_attach(emulator: Emulator, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"hello from a file")
    data = bytes(range(256)) * 4

    async def scenario(client: AsyncClient) -> None:
        sid = (await client.sessions.create("agent_pro")).session.id
        stored = await client.sessions.upload_file(
            sid, "../x/raw.bin", data, media_type="application/x-demo"
        )
        assert stored.file_name == f"sessions/{sid}/files/raw.bin" and stored.size == len(data)
        logged = [r for r in emulator.requests() if r["path"].endswith("/files")][-1]
        assert base64.b64decode(sent_body(logged)["file_content"]) == data

        from_path = await client.sessions.upload_file(sid, None, notes)
        assert from_path.file_name == f"sessions/{sid}/files/notes.txt" and from_path.size == 17
        await client.sessions.send(sid, "read it", attachments=[{"file_name": from_path.file_name}])
        done = await client.sessions.wait(sid, poll_interval=0.01)
        assert done.session.state == "completed"
        assert "notes.txt" in _answer(done) and "17" in _answer(done)

        emulator.clear_log()
        with pytest.raises(gumloop_ffi.InvalidArgumentTypeError) as wrong:
            await client.sessions.upload_file(sid, "a.txt", "text")  # type: ignore[arg-type]
        assert wrong.value.param == "file_content"
        with pytest.raises(gumloop_ffi.InvalidArgumentError) as nameless:
            await client.sessions.upload_file(sid, "", b"x")
        assert nameless.value.param == "file_name"
        assert emulator.requests() == []

    run(scenario)


def test_async_empty_upload_goes_through_as_the_blocking_clients(ada: gumloop_ffi.Client) -> None:
    sid = ada.sessions.create("agent_pro").session.id
    blocking = ada.sessions.upload_file(sid, "empty.txt", b"")
    assert blocking.size == 0

    async def scenario(client: AsyncClient) -> gumloop_ffi.GumloopObject:
        return await client.sessions.upload_file(sid, "empty.txt", bytearray())

    awaited = run(scenario)
    assert (awaited.file_name, awaited.size) == (blocking.file_name, 0)


def test_async_approvals_resolve_and_stream_the_continuation() -> None:
    async def scenario(client: AsyncClient) -> None:
        sid = (await client.sessions.create("agent_pro", "deploy [approval:2]")).session.id
        paused = await client.sessions.wait(sid, poll_interval=0.01)
        assert paused.session.state == "approval_required"
        asks = paused.session.pending_approvals
        assert len(asks) == 2
        result = await client.sessions.resolve_approvals(
            sid, approval_responses=[accept(asks[0]), reject(asks[1], reason="not now")]
        )
        assert [r["outcome"] for r in result.results] == ["accepted", "rejected"]
        assert isinstance(result.stream_cursor, str)
        async with client.sessions.resume_stream(sid, result.stream_cursor) as events:
            text = "".join([e.delta or "" async for e in events])
        assert text and events.summary is not None and events.summary.finish_reason == "stop"
        assert (await client.sessions.wait(sid)).session.state == "completed"

        other = (await client.sessions.create("agent_pro", "go [approval:3]")).session.id
        accepted = await client.sessions.accept_pending(await client.sessions.wait(other))
        assert [r["outcome"] for r in accepted.results] == ["accepted"] * 3
        third = (await client.sessions.create("agent_pro", "go [approval]")).session.id
        rejected = await client.sessions.reject_pending(
            await client.sessions.wait(third), reason="no"
        )
        assert [r["outcome"] for r in rejected.results] == ["rejected"]
        idle = (await client.sessions.create("agent_pro")).session.id
        with pytest.raises(gumloop_ffi.ConflictError) as conflict:
            await client.sessions.resolve_approvals(idle, approval_responses=[accept("areq_x")])
        assert conflict.value.code == "session_not_awaiting_approval"

    run(scenario)


def test_async_queue_add_edit_list_delete_send_now(emulator: Emulator) -> None:
    async def scenario(client: AsyncClient) -> None:
        sid = (await client.sessions.create("agent_pro", "[slow:60000] long")).session.id
        first = (await client.sessions.queue_message(sid, "first")).queued_message
        second = (await client.sessions.queue_message(sid, "second")).queued_message
        assert (first.position, second.position) == (1, 2)
        assert _inputs(await client.sessions.list_queue(sid)) == ["first", "second"]
        edited = await client.sessions.edit_queued_message(sid, first.id, "first, edited")
        assert edited.queued_message.input == "first, edited"
        left = await client.sessions.delete_queued_message(sid, second.id)
        assert _inputs(left) == ["first, edited"]
        sent = await client.sessions.send_queued_message(sid, first.id)
        assert isinstance(sent, gumloop_ffi.SessionResponse)
        assert sent.session.state == "processing"
        assert (await client.sessions.list_queue(sid)).queue == []
        with pytest.raises(gumloop_ffi.NotFoundError):
            await client.sessions.delete_queued_message(sid, "qmsg_nope")
        emulator.clear_log()
        with pytest.raises(gumloop_ffi.InvalidArgumentError) as blank:
            await client.sessions.queue_message(sid, "   ")
        assert blank.value.param == "input"
        assert emulator.requests() == []

    run(scenario)


def test_async_access_get_and_update(emulator: Emulator) -> None:
    async def scenario(client: AsyncClient) -> None:
        sid = (await client.sessions.create("agent_pro")).session.id
        assert isinstance((await client.sessions.get_access(sid)).access["people"], list)
        changed = await client.sessions.update_access(
            sid,
            share=[{"type": "person", "email": "grace@example.com", "role": "viewer"}],
            link={"mode": "anyone", "role": "viewer"},
        )
        assert changed.notified == ["grace@example.com"] and changed.access["link"] == "anyone"
        emulator.clear_log()
        with pytest.raises(gumloop_ffi.InvalidArgumentTypeError):
            await client.sessions.update_access(sid, share="everyone")  # type: ignore[arg-type]
        assert emulator.requests() == []
        with pytest.raises(gumloop_ffi.BadRequestError):
            await client.sessions.update_access(sid, link={"mode": "sideways"})

    run(scenario)


def test_async_agents_list_all_and_retrieve(ada: gumloop_ffi.Client) -> None:
    blocking = [a.id for a in ada.agents.list_all(page_size=2)]

    async def scenario(client: AsyncClient) -> None:
        every = [a.id async for a in client.agents.list_all(page_size=2)]
        assert every == blocking and len(every) == len(set(every)) and "agent_pro" in every
        first = await client.agents.list(page_size=2)
        assert len(first.agents) == 2 and isinstance(first.next_cursor, str)
        assert (await client.agents.retrieve("agent_pro")).agent.name
        with pytest.raises(gumloop_ffi.NotFoundError):
            await client.agents.retrieve("agent_nope")
        with pytest.raises(gumloop_ffi.InvalidArgumentError):
            client.agents.list_all(page_size=0)

    run(scenario)


def test_async_artifacts_list_and_download(
    emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    out = tmp_path / "out"
    out.mkdir()

    async def scenario(client: AsyncClient) -> None:
        sid = (
            await client.sessions.create("agent_pro", "[artifact:notes.txt] [artifact:../report.txt:300]")
        ).session.id
        assert (await client.sessions.wait(sid, poll_interval=0.01)).session.state == "completed"
        page = await client.artifacts.list("agent_pro", session_id=sid, page_size=1)
        assert len(page.artifacts) == 1 and isinstance(page.next_cursor, str)
        every = {
            a.filename: a.id
            async for a in client.artifacts.list_all("agent_pro", session_id=sid, page_size=1)
        }
        assert sorted(every) == ["../report.txt", "notes.txt"]

        ticket = await client.artifacts.download(every["notes.txt"])
        assert isinstance(ticket.download_url, str) and ticket.filename == "notes.txt"
        emulator.clear_log()
        content = await client.artifacts.download_bytes(every["notes.txt"])
        assert content == f"Artifact notes.txt of session {sid}\n".encode()
        storage = [r for r in emulator.requests() if r["listener"] == "storage"]
        assert len(storage) == 1 and "authorization" not in storage[0]["headers"]

        written = await client.artifacts.download_to_file(every["../report.txt"], out)
        assert written.path == str(out / "report.txt") and written.size == 300
        assert [p.name for p in out.iterdir()] == ["report.txt"]
        assert not (tmp_path / "report.txt").exists()
        report = await client.artifacts.download_bytes(every["../report.txt"])
        assert report == (out / "report.txt").read_bytes()
        assert not (tmp_path / "report.txt").exists()

        with pytest.raises(gumloop_ffi.GumloopError) as large:
            await client.artifacts.download_bytes(every["../report.txt"], max_bytes=10)
        assert large.value.kind == "GUMLOOP_ERR_RESPONSE_TOO_LARGE"
        with pytest.raises(gumloop_ffi.NotFoundError):
            await client.artifacts.download_bytes("art_missing")

    run(scenario)
    # download_bytes writes no file, after success and failure.
    assert list(scratch.iterdir()) == []


def test_async_download_bytes_cancelled_writes_nothing(
    emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    async def scenario(client: AsyncClient) -> None:
        sid = (await client.sessions.create("agent_pro", "[artifact:held.bin:100]")).session.id
        await client.sessions.wait(sid, poll_interval=0.01)
        aid = (await client.artifacts.list("agent_pro", session_id=sid)).artifacts[0].id
        emulator.arm(listener="storage", method="GET", path="/artifacts/**", delay_ms=600_000)
        emulator.clear_log()
        task = asyncio.ensure_future(client.artifacts.download_bytes(aid))
        await until(lambda: any(r["listener"] == "storage" for r in emulator.requests()))
        assert list(tmp_path.iterdir()) == []  # the bytes come in memory, through no file
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert list(tmp_path.iterdir()) == []
        await until(lambda: client.in_flight == 0)

    run(scenario)


def test_async_raw_request_encodes_each_segment(emulator: Emulator) -> None:
    async def scenario(client: AsyncClient) -> None:
        sid = (await client.sessions.create("agent_pro")).session.id
        got = await client.request("GET", ["sessions", sid])
        assert got["session"]["id"] == sid
        renamed = await client.request("PATCH", ["sessions", sid], body={"name": "by hand"})
        assert renamed["session"]["name"] == "by hand"
        emulator.clear_log()
        with pytest.raises(gumloop_ffi.NotFoundError):
            await client.request("GET", ["sessions", "../agents"])
        assert [r["path"] for r in emulator.requests()] == ["/api/v1/sessions/..%2Fagents"]
        emulator.clear_log()
        with pytest.raises(gumloop_ffi.InvalidArgumentError) as bad:
            await client.request("BREW", ["sessions"])
        assert bad.value.param == "method"
        with pytest.raises(gumloop_ffi.InvalidArgumentTypeError):
            await client.request("GET", "sessions")
        assert emulator.requests() == []

    run(scenario)
