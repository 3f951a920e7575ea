"""Creating sessions: the success paths, what is sent, and what comes back."""

from __future__ import annotations

import json
import pickle
from typing import Dict, List, Union

import pytest

import gumloop_ffi
from gumloop_ffi import Client, GumloopObject, Session, SessionResponse

from conftest import Emulator, sent_body


def test_idle_stub_without_input(ada: Client, emulator: Emulator) -> None:
    created = ada.sessions.create("agent_pro")

    assert isinstance(created, SessionResponse)
    assert isinstance(created.session, Session)
    assert created.session.state == "idle"
    assert created.session.messages == []
    assert created.session.agent_id == "agent_pro"
    assert created.session.id
    assert created.queue_position is None
    # Key access and attribute access read the same data.
    assert created["session"]["id"] == created.session.id

    (request,) = emulator.requests()
    assert request["method"] == "POST"
    assert request["path"] == "/api/v1/agents/agent_pro/sessions"
    assert sent_body(request) == {}
    assert request["headers"]["authorization"] == "Bearer gk_personal_ada"
    assert request["headers"]["x-auth-key"] == "user_ada"
    assert request["headers"]["content-type"] == "application/json"


def test_input_starts_a_run(ada: Client, emulator: Emulator) -> None:
    created = ada.sessions.create("agent_pro", "Find three leads")

    assert created.session.state in ("processing", "queued")
    (request,) = emulator.requests()
    assert sent_body(request) == {"input": "Find three leads"}


def test_every_named_field_is_sent_and_unset_ones_are_not(ada: Client, emulator: Emulator) -> None:
    created = ada.sessions.create(
        "agent_pro",
        "hello",
        session_id="sess_python_fields",
        name="  Weekly report  ",
        metadata={"ticket": "T-1", "nested": {"n": 1, "ok": True}},
        incognito=False,
    )

    assert created.session.id == "sess_python_fields"
    assert created.session.name == "Weekly report"
    (request,) = emulator.requests()
    assert sent_body(request) == {
        "input": "hello",
        "session_id": "sess_python_fields",
        "name": "  Weekly report  ",
        "metadata": {"ticket": "T-1", "nested": {"n": 1, "ok": True}},
        "incognito": False,
    }


def test_extra_fields_pass_through_and_none_extras_are_dropped(
    ada: Client, emulator: Emulator
) -> None:
    ada.sessions.create("agent_pro", message="alias of input", future_field={"x": [1, 2]}, other=None)

    (request,) = emulator.requests()
    assert sent_body(request) == {"message": "alias of input", "future_field": {"x": [1, 2]}}


def test_input_as_content_parts(ada: Client, emulator: Emulator) -> None:
    parts: List[Union[str, Dict[str, str]]] = [{"type": "text", "text": "first"}, "second"]
    created = ada.sessions.create("agent_pro", parts)

    assert created.session.state in ("processing", "queued")
    assert sent_body(emulator.requests()[0]) == {"input": parts}


def test_unicode_round_trips(ada: Client, emulator: Emulator) -> None:
    text = "Grüße, 世界 🌍 \u2028 end"
    created = ada.sessions.create("agent_pro", session_id="sess_ünï", metadata={"t": text})

    assert created.session.id == "sess_ünï"
    (request,) = emulator.requests()
    assert request["path"] == "/api/v1/agents/agent_pro/sessions"
    assert sent_body(request)["metadata"] == {"t": text}


def test_gumball_alias(ada: Client, emulator: Emulator) -> None:
    created = ada.sessions.create("gumball")

    assert created.session.state == "idle"
    assert created.session.agent_id != ""
    assert created.session.agent_name == "Gumball"
    assert emulator.requests()[0]["path"] == "/api/v1/agents/gumball/sessions"


def test_agent_id_is_one_path_segment(ada: Client, emulator: Emulator) -> None:
    with pytest.raises(gumloop_ffi.NotFoundError):
        ada.sessions.create("../agent_pro")
    (request,) = emulator.requests()
    assert request["path"] == "/api/v1/agents/..%2Fagent_pro/sessions"


def test_unknown_response_fields_are_kept_and_reachable(ada: Client) -> None:
    created = ada.sessions.create("agent_pro")

    session = created.session
    # Fields this package has no property for are still there, by key and by attribute.
    assert "agent_tools" in session
    assert session.agent_tools == session["agent_tools"]
    assert isinstance(session.participants, GumloopObject)
    assert session.creator is not None and session.creator.first_name == "Ada"
    with pytest.raises(AttributeError):
        session.no_such_field  # noqa: B018
    assert "agent_tools" in dir(session)


def test_responses_are_plain_data(ada: Client) -> None:
    created = ada.sessions.create("agent_pro", metadata={"k": "v"})

    assert json.loads(json.dumps(created)) == created
    copied = pickle.loads(pickle.dumps(created))
    assert copied == created
    assert type(copied) is SessionResponse
    assert type(copied.session) is Session
    assert isinstance(created, dict)


def test_oauth_token_needs_no_user_id(emulator: Emulator) -> None:
    with Client(access_token="gt_oauth_ada") as client:
        created = client.sessions.create("agent_pro")
    assert created.session.state == "idle"
    (request,) = emulator.requests()
    assert "x-auth-key" not in request["headers"]
    assert request["headers"]["authorization"] == "Bearer gt_oauth_ada"


def test_access_token_wins_over_api_key(emulator: Emulator) -> None:
    with Client("gk_not_a_key", access_token="gt_oauth_ada") as client:
        client.sessions.create("agent_pro")
    assert emulator.requests()[0]["headers"]["authorization"] == "Bearer gt_oauth_ada"


def test_team_key_sends_team_id(emulator: Emulator) -> None:
    with Client("gk_team_pro", team_id="team_pro", user_id="user_ada") as client:
        created = client.sessions.create("agent_pro")
    assert created.session.state == "idle"
    (request,) = emulator.requests()
    assert request["query"] == "team_id=team_pro"
    assert request["headers"]["x-auth-key"] == "user_ada"


def test_credentials_from_the_environment(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUMLOOP_API_KEY", "gk_personal_bob")
    monkeypatch.setenv("GUMLOOP_USER_ID", "user_bob")
    with Client() as client:
        client.sessions.create("agent_free")
        # GUMLOOP_ACCESS_TOKEN wins over GUMLOOP_API_KEY, and is read again on every request.
        monkeypatch.setenv("GUMLOOP_ACCESS_TOKEN", "gk_personal_ada")
        monkeypatch.setenv("GUMLOOP_USER_ID", "user_ada")  # read at creation: stays user_bob
        with pytest.raises(gumloop_ffi.UnauthorizedError):
            client.sessions.create("agent_free")
    first, second = emulator.requests()
    assert first["headers"]["authorization"] == "Bearer gk_personal_bob"
    assert second["headers"]["authorization"] == "Bearer gk_personal_ada"
    assert second["headers"]["x-auth-key"] == "user_bob"


def test_base_url_option_overrides_the_environment(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = emulator.base_url
    monkeypatch.setenv("GUMLOOP_BASE_URL", "http://127.0.0.1:9/api/v1")
    with Client("gt_oauth_ada", base_url=base, stream_base_url=base) as client:
        assert client.sessions.create("agent_pro").session.state == "idle"


def test_headers_options(emulator: Emulator) -> None:
    with Client(
        access_token="gt_oauth_ada",
        user_agent_suffix="python-tests/1",
        extra_headers={"x-request-source": "pytest"},
        timeout=30,
        connect_timeout=5.5,
        stream_timeout=60.0,
        max_response_bytes=1 << 20,
    ) as client:
        client.sessions.create("agent_pro")
    headers = emulator.requests()[0]["headers"]
    assert headers["user-agent"].endswith("python-tests/1")
    assert headers["x-request-source"] == "pytest"


def test_one_shot_create_session(emulator: Emulator) -> None:
    created = gumloop_ffi.create_session(
        "agent_pro", {"input": "hi", "metadata": {"a": 1}}, "gk_personal_ada", "user_ada"
    )
    assert created.session.state in ("processing", "queued")
    (request,) = emulator.requests()
    assert sent_body(request) == {"input": "hi", "metadata": {"a": 1}}
    assert request["headers"]["x-auth-key"] == "user_ada"


def test_one_shot_reads_the_environment(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUMLOOP_ACCESS_TOKEN", "gt_oauth_ada")
    created = gumloop_ffi.create_session("gumball")
    assert created.session.state == "idle"
    (request,) = emulator.requests()
    assert request["headers"]["authorization"] == "Bearer gt_oauth_ada"
    assert sent_body(request) == {}


def test_a_session_id_can_be_reused_only_once(ada: Client) -> None:
    ada.sessions.create("agent_pro", session_id="sess_once")
    with pytest.raises(gumloop_ffi.ConflictError):
        ada.sessions.create("agent_pro", session_id="sess_once")
