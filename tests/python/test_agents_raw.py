"""Agents and the raw request through the Python package."""

from __future__ import annotations

import pytest

import gumloop_ffi

from conftest import Emulator


def test_agents_list_all_pages_search_and_retrieve(ada: gumloop_ffi.Client) -> None:
    every = [a.id for a in ada.agents.list_all(page_size=2)]
    assert len(every) == len(set(every)) and "agent_pro" in every
    assert "agent_private" not in every
    first = ada.agents.list(page_size=2)
    assert len(first.agents) == 2 and isinstance(first.next_cursor, str)
    assert [a.id for a in ada.agents.list(search="enterprise").agents][:1] != []
    assert ada.agents.retrieve("agent_pro").agent.name
    with pytest.raises(gumloop_ffi.NotFoundError):
        ada.agents.retrieve("agent_nope")


def test_agents_bad_input_sends_nothing(ada: gumloop_ffi.Client, emulator: Emulator) -> None:
    emulator.clear_log()
    with pytest.raises(gumloop_ffi.InvalidArgumentError):
        ada.agents.list(page_size=0)
    with pytest.raises(gumloop_ffi.InvalidArgumentTypeError):
        ada.agents.list(search=3)  # type: ignore[arg-type]
    with pytest.raises(gumloop_ffi.InvalidArgumentTypeError):
        ada.agents.retrieve(None)  # type: ignore[arg-type]
    assert emulator.requests() == []


def test_raw_request(ada: gumloop_ffi.Client, emulator: Emulator) -> None:
    sid = ada.sessions.create("agent_pro").session.id
    got = ada.request("GET", ["sessions", sid])
    assert got["session"]["id"] == sid
    renamed = ada.request("PATCH", ["sessions", sid], body={"name": "by hand"})
    assert renamed["session"]["name"] == "by hand"
    page = ada.request("GET", ["agents", "agent_pro", "sessions"], query={"page_size": 1})
    assert len(page["sessions"]) == 1
    emulator.clear_log()
    with pytest.raises(gumloop_ffi.NotFoundError):
        ada.request("GET", ["sessions", "x/y"])
    assert emulator.requests()[0]["path"] == "/api/v1/sessions/x%2Fy"
    emulator.clear_log()
    with pytest.raises(gumloop_ffi.InvalidArgumentTypeError):
        ada.request("GET", "sessions")
    with pytest.raises(gumloop_ffi.InvalidArgumentError) as bad:
        ada.request("BREW", ["sessions"])
    assert bad.value.param == "method"
    with pytest.raises(gumloop_ffi.InvalidArgumentError):
        ada.request("GET", ["sessions"], body={"x": 1})
    assert emulator.requests() == []
