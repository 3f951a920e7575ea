"""The Python examples run against the emulator."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import REPO_ROOT


def test_quickstart_runs() -> None:
    env = dict(os.environ, GUMLOOP_ACCESS_TOKEN="gk_personal_ada", GUMLOOP_USER_ID="user_ada")
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "examples" / "quickstart.py"), "agent_pro"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "an idle session: sess_" in result.stdout
    assert "(idle)" in result.stdout
    assert "a streamed session: sess_" in result.stdout


def test_stream_prints_the_answer_word_by_word() -> None:
    env = dict(os.environ, GUMLOOP_ACCESS_TOKEN="gk_personal_ada", GUMLOOP_USER_ID="user_ada")
    result = subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "examples" / "stream.py"),
            "agent_pro",
            "[words:200] tell me a story",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.split()) == 200
    assert ": stop, " in result.stderr and "session sess_" in result.stderr


def test_stream_reports_a_failed_run() -> None:
    env = dict(os.environ, GUMLOOP_ACCESS_TOKEN="gk_personal_ada", GUMLOOP_USER_ID="user_ada")
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "examples" / "stream.py"), "agent_pro", "[fail] no"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "the run failed" in result.stderr and ": error, " in result.stderr
