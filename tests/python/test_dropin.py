"""Drop-in for the official SDK's users: a script written for ``gumloop.Gumloop`` runs with only
its import changed, and the SDK's names, arguments and answer methods are here."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

import gumloop_ffi
from gumloop_ffi import AsyncGumloop, Gumloop, InvalidArgumentError

from conftest import Emulator, sent_body

SCRIPT = Path(__file__).with_name("sdk_script.py")
SDK_IMPORT = "from gumloop import Gumloop"


def run_script(source: str) -> List[str]:
    result = subprocess.run(
        [sys.executable, "-c", source],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_the_script_is_the_official_sdks(emulator: Emulator) -> None:
    """The script runs with the official SDK itself (pinned in the suite's venv), so it is
    written for the SDK, not for this package; its output is what test below expects."""
    lines = run_script(SCRIPT.read_text())
    assert lines[1:] == [
        lines[1],
        "json True",
        "sent True",
        "streamed 5 words, finish stop",
    ] and lines[1].startswith("state completed messages 2")


def test_a_script_for_the_sdk_runs_with_only_its_import_changed(emulator: Emulator) -> None:
    source = SCRIPT.read_text()
    assert source.count(SDK_IMPORT + "\n") == 1 and "import gumloop_ffi" not in source
    changed = source.replace(SDK_IMPORT + "\n", "from gumloop_ffi import Gumloop\n")
    lines = run_script(changed)
    assert lines[0].startswith("created sess_") and lines[0].endswith("processing")
    assert lines[1].startswith("state completed messages 2")
    assert lines[2] == "json True"
    assert lines[3] == "sent True"
    assert lines[4] == "streamed 5 words, finish stop"


def test_model_dump_is_plain_and_complete(ada: gumloop_ffi.Client) -> None:
    created = ada.sessions.create("agent_pro", name="dumped")
    dump = created.model_dump()
    assert type(dump) is dict and type(dump["session"]) is dict
    assert dump == json.loads(json.dumps(created))
    assert created.model_dump(include={"session"}).keys() == {"session"}
    assert "queue_position" not in created.model_dump(exclude_none=True)
    assert json.loads(created.model_dump_json()) == dump
    assert created.model_dump_json(indent=2).startswith("{\n  ")
    with pytest.raises(InvalidArgumentError):
        created.model_dump(mode="yaml")


def test_the_sdks_request_mapping_and_extra_headers(ada: Gumloop, emulator: Emulator) -> None:
    created = ada.sessions.create("agent_pro", {"input": "from a mapping", "name": "mapped"})
    assert created.session.name == "mapped"
    assert sent_body(emulator.requests()[-1]) == {"input": "from a mapping", "name": "mapped"}
    # Keyword arguments win over the mapping's fields, as in the SDK's build().
    ada.sessions.create("agent_pro", {"name": "old"}, name="new")
    assert sent_body(emulator.requests()[-1]) == {"name": "new"}
    idle = ada.sessions.create("agent_pro")
    emulator.clear_log()
    trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    ada.sessions.create("agent_pro", extra_headers={"traceparent": trace})
    ada.sessions.send(idle.session.id, "x", extra_headers={"x-a": "b"})
    ada.sessions.create("agent_pro")
    first, sent, second = emulator.requests()
    assert first["headers"]["traceparent"] == trace and "extra_headers" not in first["body"]
    assert sent["headers"]["x-a"] == "b" and "extra_headers" not in sent["body"]
    assert "traceparent" not in second["headers"], "for that one call only"


def test_stream_events_have_the_sdks_attributes(ada: Gumloop) -> None:
    events = list(ada.sessions.stream("agent_pro", "[fail] [words:2] boom"))
    last = events[-1]
    assert last.type == "finish" and last.final and last.finish_reason == "error"
    assert isinstance(last.error_message, str)
    for event in events:
        assert event.stream_cursor is not None
        assert event.data is None or isinstance(event.data, (dict, list, str))
        assert event.error is None or isinstance(event.error, str)


def test_gumloop_is_the_client_under_the_sdks_name() -> None:
    with Gumloop(api_key="gk_personal_ada", user_id="user_ada", timeout=5, stream_timeout=60) as c:
        assert isinstance(c, gumloop_ffi.Client) and repr(c) == "<gumloop_ffi.Gumloop open>"
        assert c.sessions.create("agent_pro").session.state == "idle"

    async def scenario() -> str:
        async with AsyncGumloop(api_key="gk_personal_ada", user_id="user_ada") as client:
            created = await client.sessions.create("agent_pro")
            return created.model_dump()["session"]["state"]  # type: ignore[no-any-return]

    assert asyncio.run(scenario()) == "idle"


@pytest.fixture
def ada() -> Gumloop:  # type: ignore[misc]
    with Gumloop("gk_personal_ada", user_id="user_ada") as client:
        yield client
