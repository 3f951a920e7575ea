"""Ctrl-C during a blocking call: the call is cancelled, KeyboardInterrupt is raised, no thread is
left behind, and what an interrupted write may have created is said.

Each case runs the call in a child Python process, waits until the emulator has the call's
request (ordering, not timing), sends SIGINT, and reads what the child saw. The call would
otherwise take LONG_MS; the child must be done well before that (a bound for liveness only).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from typing import Any, Callable, Dict, List

import pytest

from conftest import Emulator

#: How long each call would block if Ctrl-C did not end it.
LONG_MS = 30_000
#: The longest the child may take to end after SIGINT: far less than LONG_MS, far more than a
#: cancelled call needs. Liveness only; nothing here measures time.
EXIT_BOUND_SECONDS = 20.0

CHILD = r"""
import json, sys, threading
import gumloop_ffi

kind, arg = sys.argv[1], sys.argv[2]
client = gumloop_ffi.Client("gk_personal_ada", user_id="user_ada")
seen = {"events": 0}
print("ready", flush=True)
try:
    if kind == "create":
        client.sessions.create("agent_pro", "x", session_id=arg)
    elif kind == "send":
        client.sessions.send(arg, "hello")
    elif kind == "wait":
        client.sessions.wait(arg)
    elif kind == "retrieve":
        client.sessions.retrieve(arg)
    elif kind == "stream":
        with client.sessions.stream("agent_pro", arg) as events:
            for _ in events:
                seen["events"] += 1
    seen["returned"] = True
except KeyboardInterrupt as interrupt:
    seen["interrupted"] = True
    seen["notes"] = list(getattr(interrupt, "__notes__", []))
    cause = interrupt.__cause__
    seen["cause"] = type(cause).__name__ if cause is not None else None
    seen["details"] = getattr(cause, "details", None)
seen["threads"] = sorted(t.name for t in threading.enumerate())
client.close()
seen["closed"] = client.closed
print(json.dumps(seen), flush=True)
"""


def _interrupt(
    emulator: Emulator, kind: str, arg: str, arrived: Callable[[Dict[str, Any]], bool]
) -> Dict[str, Any]:
    """Runs the child's call, interrupts it once a request ``arrived``, returns what it saw."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, kind, arg],
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        while not any(arrived(r) for r in emulator.requests()):
            assert child.poll() is None, "the call ended before it could be interrupted"
            time.sleep(0.01)
        child.send_signal(signal.SIGINT)
        out, _ = child.communicate(timeout=EXIT_BOUND_SECONDS)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    lines: List[str] = [line for line in out.splitlines() if line.strip()]
    assert child.returncode == 0, out
    seen: Dict[str, Any] = json.loads(lines[-1])
    assert seen.get("interrupted") is True, seen
    assert "returned" not in seen, seen
    # Nothing left running: the helper and stream threads were joined; the client closes.
    assert seen["threads"] == ["MainThread"], seen
    assert seen["closed"] is True
    return seen


def _post_to(path_end: str) -> Callable[[Dict[str, Any]], bool]:
    return lambda r: r["method"] == "POST" and r["path"].endswith(path_end)


def test_an_interrupted_create_is_cancelled_and_names_the_session(emulator: Emulator) -> None:
    emulator.arm(delay_ms=LONG_MS)
    seen = _interrupt(emulator, "create", "sess_interrupted", _post_to("/sessions"))
    assert seen["cause"] == "CancelledError"
    assert any("interrupted and cancelled" in note for note in seen["notes"]), seen
    # The poller's cancellation ends the call with a bare CANCELLED: the library does not (yet)
    # say there that the create may have made the session (`details.may_have_created`), as
    # the blocking function did; the note shows it whenever the library says it.
    details = seen["details"] or {}
    if details.get("may_have_created") is not None:
        assert details["session_id"] == "sess_interrupted"
        assert any("sess_interrupted" in note for note in seen["notes"]), seen


def test_an_interrupted_send_says_it_may_have_sent(emulator: Emulator, ada: Any) -> None:
    sid = ada.sessions.create("agent_pro").session.id
    emulator.arm(path="/api/v1/sessions/*/messages", delay_ms=LONG_MS)
    seen = _interrupt(emulator, "send", sid, _post_to("/messages"))
    assert seen["cause"] == "CancelledError"
    details = seen["details"] or {}
    if details.get("may_have_created") is not None:  # see the create case above
        assert details == dict(details, may_have_created="message", session_id=sid)


@pytest.mark.parametrize("kind", ["wait", "retrieve"])
def test_an_interrupted_read_is_cancelled(emulator: Emulator, ada: Any, kind: str) -> None:
    sid = ada.sessions.create("agent_pro", f"[slow:{LONG_MS}] busy").session.id
    if kind == "retrieve":
        emulator.arm(method="GET", path="/api/v1/sessions/*", delay_ms=LONG_MS)
    seen = _interrupt(
        emulator, kind, sid, lambda r: r["method"] == "GET" and r["path"].endswith(sid)
    )
    assert seen["cause"] == "CancelledError"
    assert not (seen["details"] or {}).get("may_have_created"), seen


def test_an_interrupted_stream_is_closed(emulator: Emulator) -> None:
    seen = _interrupt(
        emulator,
        "stream",
        f"[slow:{LONG_MS}] [words:3] busy",
        lambda r: r["method"] == "POST" and r["listener"] == "stream",
    )
