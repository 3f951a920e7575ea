"""OAuth as the official SDK does it, credentials replaced on a live client, refresh on 401
with the new pair handed to ``on_tokens`` on the caller's side, and the library's log records
through :mod:`logging` (logger ``gumloop_ffi``), against the emulator's OAuth endpoints."""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import threading
import urllib.parse
from typing import Any, Dict, List, Tuple

import pytest

import gumloop_ffi
from gumloop_ffi import Client, InvalidArgumentError, UnauthorizedError

from conftest import Emulator

CLI = "gumloop_cli"  # the SDK command-line tool's client ID, known to the emulator
REDIRECT = "http://127.0.0.1:8765/callback"


def sign_in(emulator: Emulator) -> Dict[str, Any]:
    """The SDK's sign-in: the authorization URL, the user's approval, the code exchanged."""
    with Client(client_id=CLI) as client:
        url, verifier, state = client.oauth.build_authorization_url(CLI, REDIRECT)
        approved = emulator._call("POST", "/oauth/approve", {"url": url})
        assert approved["state"] == state
        tokens = client.oauth.exchange_code(CLI, approved["code"], REDIRECT, verifier)
    return dict(tokens)


def test_the_authorization_url_is_the_sdks() -> None:
    url, verifier, state = gumloop_ffi.build_authorization_url(
        CLI, REDIRECT, base_url="https://api.example.com/api/v1", resource="https://r.example"
    )
    parts = urllib.parse.urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "api.example.com", "/oauth/authorize")
    query = dict(urllib.parse.parse_qsl(parts.query))
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    assert query == {
        "response_type": "code",
        "client_id": CLI,
        "redirect_uri": REDIRECT,
        "scope": "gumloop userinfo",
        "state": state,
        "code_challenge": challenge.decode(),
        "code_challenge_method": "S256",
        "resource": "https://r.example",
    }
    assert len(verifier) >= 43 and len(state) >= 16
    again = gumloop_ffi.build_authorization_url(CLI, REDIRECT, scopes=["gumloop"], state="s1")
    assert again[2] == "s1" and "scope=gumloop&" in again[0] and again[1] != verifier
    with pytest.raises(InvalidArgumentError):
        gumloop_ffi.build_authorization_url(CLI, "")


def test_sign_in_then_use_the_tokens(emulator: Emulator) -> None:
    tokens = sign_in(emulator)
    assert tokens["token_type"].lower() == "bearer" and tokens["refresh_token"]
    with Client(client_id=CLI) as client:
        with pytest.raises(gumloop_ffi.AuthenticationError):
            client.sessions.create("agent_pro")  # no credential yet: nothing sent
        generation = client.set_credentials(access_token=tokens["access_token"])
        assert generation >= 1
        assert client.sessions.create("agent_pro").session.state == "idle"
        with pytest.raises(InvalidArgumentError):
            client.set_credentials(access_token="bad\ntoken")
        assert client.sessions.create("agent_pro").session.state == "idle", "nothing changed"


def test_ten_concurrent_calls_share_one_refresh_and_on_tokens_gets_the_new_pair(
    emulator: Emulator,
) -> None:
    tokens = sign_in(emulator)
    seen: List[Tuple[str, Dict[str, Any]]] = []
    with Client(
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
        client_id=CLI,
        on_tokens=lambda pair: seen.append((threading.current_thread().name, dict(pair))),
    ) as client:
        assert client.sessions.create("agent_pro").session.state == "idle"
        emulator._call("POST", "/oauth/expire")
        start = threading.Barrier(10)
        failures: List[BaseException] = []

        def call(i: int) -> None:
            start.wait()
            try:
                client.sessions.create("agent_pro", session_id=f"sess_refresh_{i}")
            except BaseException as error:
                failures.append(error)

        threads = [threading.Thread(target=call, args=(i,), name=f"caller-{i}") for i in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []
    assert emulator._call("GET", "/oauth")["refreshes"] == 1
    assert len(seen) == 1, "one refresh, handed over once"
    thread_name, pair = seen[0]
    assert thread_name.startswith("caller-"), "on a caller's thread, never the library's"
    assert pair["refresh_token"] != tokens["refresh_token"], "the rotated refresh token"
    assert pair["access_token"] != tokens["access_token"]


def test_a_revoked_refresh_token_ends_in_the_401_with_the_refreshs_error(
    emulator: Emulator,
) -> None:
    tokens = sign_in(emulator)
    with Client(
        access_token=tokens["access_token"], refresh_token=tokens["refresh_token"], client_id=CLI
    ) as client:
        client.oauth.revoke(CLI, tokens["refresh_token"])
        emulator._call("POST", "/oauth/expire")
        with pytest.raises(UnauthorizedError) as caught:
            client.sessions.create("agent_pro")
    refresh = caught.value.details["refresh"]
    assert refresh["code"] == "invalid_grant"


def test_a_503_then_200_call_gives_two_attempt_records(
    emulator: Emulator, caplog: pytest.LogCaptureFixture, ada: Client
) -> None:
    emulator.arm(method="GET", path="/api/v1/agents/agent_pro", status=503, times=1)
    with caplog.at_level(logging.DEBUG, logger="gumloop_ffi"):
        ada.agents.retrieve("agent_pro")
    attempts = [r for r in caplog.records if getattr(r, "gumloop_event", None) == "attempt"]
    assert [r.gumloop["status"] for r in attempts] == [503, 200]  # type: ignore[attr-defined]
    assert [r.gumloop["attempt"] for r in attempts] == [1, 2]  # type: ignore[attr-defined]
    assert all(r.gumloop["operation"] == "get_agent" for r in attempts)  # type: ignore[attr-defined]
    assert [r.levelno for r in attempts] == [logging.INFO, logging.DEBUG]
    assert any(getattr(r, "gumloop_event", None) == "retry" for r in caplog.records)
    for record in caplog.records:
        text = record.getMessage() + repr(getattr(record, "gumloop", ""))
        assert "gk_personal_ada" not in text and "user_ada" not in text


def test_logs_follow_the_loggers_level(
    emulator: Emulator, caplog: pytest.LogCaptureFixture, ada: Client
) -> None:
    with caplog.at_level(logging.ERROR, logger="gumloop_ffi"):
        ada.agents.retrieve("agent_pro")
    assert [r for r in caplog.records if r.name == "gumloop_ffi"] == []
    with caplog.at_level(logging.DEBUG, logger="gumloop_ffi"):
        ada.agents.retrieve("agent_pro")
    assert [getattr(r, "gumloop_event", None) for r in caplog.records] == ["attempt"]


def test_credentials_and_oauth_options_are_checked() -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        Client("gt_oauth_ada", refresh_token="rt")  # a refresh needs the client ID
    assert caught.value.param == "refresh_token" or "client_id" in str(caught.value)
    with pytest.raises(gumloop_ffi.InvalidArgumentTypeError):
        Client("gt_oauth_ada", on_tokens="print")  # type: ignore[arg-type]
    assert os.environ.get("GUMLOOP_ACCESS_TOKEN") is None
