"""Answers and states that must not break the package's own error handling: a JSON answer
nested deeper than Python parses (to every operation, of both clients), and a Client whose
constructor failed shown in a traceback."""

from __future__ import annotations

import http.server
import threading
import traceback
import asyncio
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Iterator, List

import pytest

from gumloop_ffi import AsyncClient, Client, GumloopError, InvalidResponseError
from gumloop_ffi._description import OPERATIONS

#: Nesting far beyond what Python's json module (or any reasonable parser) reads.
DEPTH = 100_000


class _DeepJson(http.server.BaseHTTPRequestHandler):
    """Answers every GET with HTTP 200 and a JSON object nested DEPTH deep."""

    body = ('{"session":' + "[" * DEPTH + "]" * DEPTH + "}").encode("ascii")

    def do_GET(self) -> None:  # noqa: N802 (the http.server name)
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def deep_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _DeepJson)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/v1"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_deeply_nested_answer_is_an_invalid_response(deep_server: str) -> None:
    with Client("gk_personal_ada", base_url=deep_server, stream_base_url=deep_server) as client:
        with pytest.raises(InvalidResponseError) as caught:
            client.sessions.retrieve("sess_deep")
    assert caught.value.kind == "GUMLOOP_ERR_INVALID_RESPONSE"
    assert not isinstance(caught.value.__context__, RecursionError)


#: One call of each operation, each against the server that answers everything 100,000 deep.
SYNC_CALLS: Dict[str, Callable[[Client, Path], Any]] = {
    "create_session": lambda c, _: c.sessions.create("agent_pro"),
    "get_session": lambda c, _: c.sessions.retrieve("sess_deep"),
    "list_sessions": lambda c, _: list(c.sessions.list_all("agent_pro")),
    "send_message": lambda c, _: c.sessions.send("sess_deep", "hi"),
    "cancel_session": lambda c, _: c.sessions.cancel("sess_deep"),
    "rename_session": lambda c, _: c.sessions.rename("sess_deep", "n"),
    "wait_session": lambda c, _: c.sessions.wait("sess_deep", timeout=0.5),
    "stream_session": lambda c, _: list(c.sessions.stream("agent_pro", "hi")),
    "stream_message": lambda c, _: list(c.sessions.stream_message("sess_deep", "hi")),
    "resume_stream": lambda c, _: list(c.sessions.resume_stream("sess_deep", "sess_deep:1")),
    "upload_file": lambda c, _: c.sessions.upload_file("sess_deep", "a.txt", b"x"),
    "resolve_approvals": lambda c, _: c.sessions.resolve_approvals("sess_deep", approval_responses=[]),
    "list_queue": lambda c, _: c.sessions.list_queue("sess_deep"),
    "queue_message": lambda c, _: c.sessions.queue_message("sess_deep", "x"),
    "edit_queued_message": lambda c, _: c.sessions.edit_queued_message("sess_deep", "q", "x"),
    "delete_queued_message": lambda c, _: c.sessions.delete_queued_message("sess_deep", "q"),
    "send_queued_message": lambda c, _: c.sessions.send_queued_message("sess_deep", "q"),
    "get_session_access": lambda c, _: c.sessions.get_access("sess_deep"),
    "update_session_access": lambda c, _: c.sessions.update_access("sess_deep", link={"mode": "none"}),
    "list_agents": lambda c, _: list(c.agents.list_all()),
    "get_agent": lambda c, _: c.agents.retrieve("agent_deep"),
    "list_artifacts": lambda c, _: list(c.artifacts.list_all("agent_deep")),
    "get_artifact_download": lambda c, _: c.artifacts.download("art_deep"),
    "download_artifact": lambda c, _: c.artifacts.download_bytes("art_deep"),
    "download_artifact_to_file": lambda c, tmp: c.artifacts.download_to_file("art_deep", tmp / "x"),
    "send_request": lambda c, _: c.request("GET", ["sessions", "sess_deep"]),
    "oauth_register_client": lambda c, _: c.oauth.register_client("http://127.0.0.1:9/cb"),
    "oauth_exchange_code": lambda c, _: c.oauth.exchange_code("gumloop_cli", "k", "u", "v"),
    "oauth_refresh_token": lambda c, _: c.oauth.refresh_token("gumloop_cli", "rt_deep"),
    "oauth_revoke": lambda c, _: c.oauth.revoke("gumloop_cli", "tok_deep"),
}


def test_every_operation_is_tried() -> None:
    assert sorted(SYNC_CALLS) == sorted(OPERATIONS)


@pytest.mark.parametrize("operation", sorted(SYNC_CALLS))
def test_every_operation_turns_a_deep_answer_into_its_own_error(
    deep_server: str, tmp_path: Path, operation: str
) -> None:
    with Client("gk_personal_ada", base_url=deep_server, stream_base_url=deep_server) as client:
        with pytest.raises(GumloopError) as caught:
            SYNC_CALLS[operation](client, tmp_path)
    assert not isinstance(caught.value.__context__, RecursionError)
    assert list(tmp_path.iterdir()) == []


ASYNC_CALLS: Dict[str, Callable[[AsyncClient], Awaitable[Any]]] = {
    "get_session": lambda c: c.sessions.retrieve("sess_deep"),
    "list_agents": lambda c: c.agents.list(),
    "download_artifact": lambda c: c.artifacts.download_bytes("art_deep"),
    "send_request": lambda c: c.request("GET", ["sessions", "sess_deep"]),
}


@pytest.mark.parametrize("operation", sorted(ASYNC_CALLS))
def test_the_async_client_turns_a_deep_answer_into_its_own_error(
    deep_server: str, operation: str
) -> None:
    async def scenario() -> None:
        async with AsyncClient(
            "gk_personal_ada", base_url=deep_server, stream_base_url=deep_server
        ) as client:
            await ASYNC_CALLS[operation](client)

    with pytest.raises(GumloopError):
        asyncio.run(scenario())


def test_repr_of_a_client_whose_constructor_failed_does_not_raise() -> None:
    with pytest.raises(GumloopError) as caught:
        Client("gk_personal_ada", base_url="ftp://example.invalid/api/v1")
    selves: List[Client] = [
        frame.f_locals["self"]
        for frame, _ in traceback.walk_tb(caught.value.__traceback__)
        if isinstance(frame.f_locals.get("self"), Client)
    ]
    assert selves, "the constructor's frame is in the traceback"
    failed = selves[0]
    assert repr(failed) == "<gumloop_ffi.Client not created>"
    assert failed.closed
    failed.close()  # nothing to free, and no error
    # A traceback that shows locals renders it.
    shown = traceback.TracebackException.from_exception(caught.value, capture_locals=True)
    assert "<gumloop_ffi.Client not created>" in "".join(shown.format())
