"""Answers and states that must not break the package's own error handling: a JSON answer
nested deeper than Python parses, and a Client whose constructor failed shown in a traceback."""

from __future__ import annotations

import http.server
import threading
import traceback
from typing import Iterator, List

import pytest

from gumloop_ffi import Client, GumloopError, InvalidResponseError

#: Nesting far beyond what Python's json module (or any reasonable parser) reads.
DEPTH = 100_000


class _DeepJson(http.server.BaseHTTPRequestHandler):
    """Answers every GET with HTTP 200 and a JSON object nested DEPTH deep."""

    body = ('{"session":' + "[" * DEPTH + "]" * DEPTH + "}").encode("ascii")

    def do_GET(self) -> None:  # noqa: N802 (the http.server name)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

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
