"""The official Python SDK (``gumloop``, pinned with the suite's tools in mk/python.mk) against
the emulator: its ``agents.list`` and ``agents.retrieve`` validate the emulator's answers with the
SDK's own models (``incognito`` must be ``{"enforced": bool}``, never null), so the emulator
stays a faithful stand-in for the service the SDK was written against."""

from __future__ import annotations

import os

from gumloop import Gumloop


def _client() -> Gumloop:
    return Gumloop(
        api_key="gk_personal_ada",
        user_id="user_ada",
        base_url=os.environ["GUMLOOP_BASE_URL"],
        stream_base_url=os.environ["GUMLOOP_STREAM_BASE_URL"],
    )


def test_the_official_sdk_lists_agents() -> None:
    page = _client().agents.list()
    by_id = {agent.id: agent for agent in page.agents}
    assert "agent_pro" in by_id and "agent_private" not in by_id
    pro = by_id["agent_pro"]
    assert pro.name == "Sales research agent"
    assert pro.incognito.enforced is False
    assert pro.creator is not None and pro.creator.id == "user_ada"
    searched = _client().agents.list(search="sales research")
    assert [agent.id for agent in searched.agents] == ["agent_pro"]


def test_the_official_sdk_retrieves_an_agent() -> None:
    answer = _client().agents.retrieve("agent_pro")
    agent = answer.agent
    assert agent.id == "agent_pro"
    assert agent.team_id == "team_pro"
    assert agent.is_active is True
    assert agent.incognito.enforced is False
    assert agent.model_name == "gpt-4.1"
