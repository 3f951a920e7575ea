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


def _run_example(name: str, *args: str) -> "subprocess.CompletedProcess[str]":
    env = dict(os.environ, GUMLOOP_ACCESS_TOKEN="gk_personal_ada", GUMLOOP_USER_ID="user_ada")
    return subprocess.run(
        [sys.executable, str(REPO_ROOT / "examples" / name), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_approval_example_approves_and_streams_the_continuation() -> None:
    result = _run_example("approval.py", "agent_pro", "Deploy it [approval]")
    assert result.returncode == 0, result.stderr
    assert "approval asked:" in result.stdout and "outcome: accepted" in result.stdout
    assert result.stdout.strip().splitlines()[-1].strip(), result.stdout
    assert "finished: stop" in result.stderr


def test_upload_example_prints_an_answer_that_names_the_file(tmp_path: "os.PathLike[str]") -> None:
    result = _run_example("upload.py", "agent_pro")
    assert result.returncode == 0, result.stderr
    assert "report.txt" in result.stdout, result.stdout
    sample = os.path.join(os.fspath(tmp_path), "figures.csv")
    with open(sample, "w", encoding="utf-8") as file:
        file.write("a,b\n1,2\n")
    from_path = _run_example("upload.py", "agent_pro", sample)
    assert from_path.returncode == 0, from_path.stderr
    assert "figures.csv" in from_path.stdout, from_path.stdout
