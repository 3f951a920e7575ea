"""GUMLOOP_WORKER_THREADS: the size of the library's runtime, read when the first call starts it.

The runtime is built once per process, so each case runs in a fresh interpreter. The number of
workers is read from the kernel's list of the process's threads (their names), not from the
library itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any, Dict, Optional

import pytest

# Creates a session and reports the outcome and the names of the process's threads.
CHILD = r"""
import json, os, sys
import gumloop_ffi

client = gumloop_ffi.Client(
    api_key="gk_personal_ada", user_id="user_ada", base_url=os.environ["GUMLOOP_BASE_URL"]
)
report = {}
try:
    report["session_id"] = client.sessions.create("agent_pro").session.id
except gumloop_ffi.GumloopError as error:
    report["error"] = {"kind": error.kind, "param": error.param, "message": str(error)}
import time

def workers():
    names = []
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/comm") as comm:
                names.append(comm.read().strip())
        except FileNotFoundError:
            pass
    return sum(1 for name in names if name == "gumloop-worker")

# A worker thread names itself once it first runs: on a loaded machine the last ones may not
# have run yet, so wait (a liveness bound, not a timing) until as many as asked are named.
expected = int(os.environ.get("EXPECTED_WORKERS", "0"))
for _ in range(200):
    if workers() >= expected:
        break
    time.sleep(0.05)
report["workers"] = workers()
print(json.dumps(report))
"""


def run_child(workers: Optional[str], expected: int = 0) -> Dict[str, Any]:
    env = dict(os.environ)
    env.pop("GUMLOOP_WORKER_THREADS", None)
    env["EXPECTED_WORKERS"] = str(expected)
    if workers is not None:
        env["GUMLOOP_WORKER_THREADS"] = workers
    result = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    report: Dict[str, Any] = json.loads(result.stdout)
    return report


@pytest.mark.parametrize("workers", ["1", "3", " 2 "])
def test_the_runtime_has_the_workers_asked_for(workers: str) -> None:
    report = run_child(workers, int(workers))
    assert isinstance(report["session_id"], str) and report["session_id"]
    assert report["workers"] == int(workers)


@pytest.mark.parametrize("workers", [None, ""])
def test_the_default_is_one_worker_per_four_cores_from_one_to_four(
    workers: Optional[str],
) -> None:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    expected = min(max((cores or 1) // 4, 1), 4)
    report = run_child(workers, expected)
    assert isinstance(report["session_id"], str) and report["session_id"]
    assert report["workers"] == expected


@pytest.mark.parametrize("workers", ["0", "65", "two", "-1", "1.5"])
def test_an_invalid_value_fails_every_call_with_invalid_option(workers: str) -> None:
    report = run_child(workers)
    assert "session_id" not in report
    assert report["error"]["kind"] == "GUMLOOP_ERR_INVALID_OPTION"
    assert report["error"]["param"] == "GUMLOOP_WORKER_THREADS"
    assert "1 to 64" in report["error"]["message"]
    assert report["workers"] == 0
