"""Fixtures for the gumloop_ffi suite: the emulator's admin API, clean environment, clients.

The suite runs against the installed package (``make test-python`` installs the wheel into
``.venv``) and against the emulator started by ``scripts/with-emulator.sh``, which exports
``GUMLOOP_BASE_URL``, ``GUMLOOP_STREAM_BASE_URL`` and ``GUMLOOP_EMULATOR_ADMIN``.
"""

from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest

import gumloop_ffi

REPO_ROOT = Path(__file__).resolve().parents[2]

#: Environment variables the library reads for credentials and scope; cleared for every test.
CREDENTIAL_ENV = ("GUMLOOP_ACCESS_TOKEN", "GUMLOOP_API_KEY", "GUMLOOP_USER_ID", "GUMLOOP_TEAM_ID")

SESSIONS_PATH = "/api/v1/agents/*/sessions"


def pytest_configure(config: pytest.Config) -> None:
    missing = [
        name
        for name in ("GUMLOOP_BASE_URL", "GUMLOOP_STREAM_BASE_URL", "GUMLOOP_EMULATOR_ADMIN")
        if not os.environ.get(name)
    ]
    if missing:
        raise pytest.UsageError(
            f"{', '.join(missing)} not set: run the suite under scripts/with-emulator.sh "
            "(make test-python does)"
        )


class Emulator:
    """The emulator's admin API (tests/emulator/README.md)."""

    def __init__(self, admin_url: str, base_url: str) -> None:
        self.admin_url = admin_url.rstrip("/")
        self.base_url = base_url.rstrip("/")

    def _call(self, method: str, path: str, body: Optional[Any] = None) -> Any:
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(
            self.admin_url + path,
            data=data,
            method=method,
            headers={"content-type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode("utf-8")
        return json.loads(text) if text else None

    def reset(self) -> None:
        self._call("POST", "/reset")

    def arm(self, **spec: Any) -> None:
        """Arms one fault, e.g. ``arm(path=SESSIONS_PATH, times=1, status=503)``."""
        spec.setdefault("method", "POST")
        spec.setdefault("path", SESSIONS_PATH)
        spec.setdefault("times", 1)
        self._call("POST", "/faults", spec)

    def clear_log(self) -> None:
        """Forgets the requests received so far (sessions and faults stay)."""
        self._call("DELETE", "/requests")

    def requests(self) -> List[Dict[str, Any]]:
        """Every request the API listeners received since the last reset."""
        log: List[Dict[str, Any]] = self._call("GET", "/requests")["requests"]
        return log

    def stats(self) -> Dict[str, Any]:
        stats: Dict[str, Any] = self._call("GET", "/stats")
        return stats


@pytest.fixture(scope="session")
def emulator_session() -> Emulator:
    return Emulator(os.environ["GUMLOOP_EMULATOR_ADMIN"], os.environ["GUMLOOP_BASE_URL"])


@pytest.fixture(autouse=True)
def clean_state(emulator_session: Emulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A fresh emulator (no sessions, faults or log) and no credentials in the environment."""
    for name in CREDENTIAL_ENV:
        monkeypatch.delenv(name, raising=False)
    emulator_session.reset()
    yield
    emulator_session.reset()


@pytest.fixture
def emulator(emulator_session: Emulator) -> Emulator:
    return emulator_session


@pytest.fixture
def ada() -> Iterator[gumloop_ffi.Client]:
    """A client with Ada's personal API key."""
    with gumloop_ffi.Client("gk_personal_ada", user_id="user_ada") as client:
        yield client


def sent_body(entry: Dict[str, Any]) -> Any:
    """The JSON body of a logged request."""
    return json.loads(entry["body"])
