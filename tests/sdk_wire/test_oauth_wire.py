"""The official SDK (gumloop 0.5.9, ``gumloop.OAuth``) and the library send the same OAuth
requests, field by field: each side calls the emulator with the same arguments and the requests
it logged are compared (method, path, media type, body). The library is driven through its C
functions (ctypes over ``$GUMLOOP_FFI_LIBRARY``), so this holds whatever a binding adds.

Run under scripts/with-emulator.sh (``make test-sdk-wire``)."""

from __future__ import annotations

import ctypes
import json
import os
import urllib.request
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from gumloop import APIStatusError, OAuth

BASE = os.environ["GUMLOOP_BASE_URL"]
ADMIN = os.environ["GUMLOOP_EMULATOR_ADMIN"]
REDIRECT = "http://127.0.0.1:8765/callback"
LIB = ctypes.CDLL(os.environ["GUMLOOP_FFI_LIBRARY"])

_OUT = ctypes.POINTER(ctypes.c_char_p)
for _name, _args in {
    "gumloop_client_new": [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_void_p)],
    "gumloop_oauth_build_authorization_url": [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)],
    "gumloop_client_oauth_register_client": [ctypes.c_void_p] + [ctypes.c_char_p] * 3 + [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)],
    "gumloop_client_oauth_exchange_code": [ctypes.c_void_p] + [ctypes.c_char_p] * 5 + [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)],
    "gumloop_client_oauth_refresh_token": [ctypes.c_void_p] + [ctypes.c_char_p] * 3 + [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)],
    "gumloop_client_oauth_revoke": [ctypes.c_void_p] + [ctypes.c_char_p] * 2 + [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)],
}.items():
    getattr(LIB, _name).argtypes = _args
    getattr(LIB, _name).restype = ctypes.c_uint32
LIB.gumloop_string_free.argtypes = [ctypes.c_void_p]
LIB.gumloop_client_free.argtypes = [ctypes.c_void_p]


def _enc(text: str | None) -> bytes | None:
    return None if text is None else text.encode()


def _call(name: str, *args: Any) -> tuple[int, Any]:
    """Calls a C function whose last parameter is ``char **out_json``: (code, parsed JSON)."""
    out = ctypes.c_void_p()
    code = getattr(LIB, name)(*args, ctypes.byref(out))
    text = ctypes.string_at(out.value).decode() if out.value else "null"
    LIB.gumloop_string_free(out)
    return code, json.loads(text)


def _admin(method: str, path: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(ADMIN + path, data=data, method=method, headers={"content-type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read() or b"null")


def _logged() -> list[dict[str, Any]]:
    """The OAuth requests logged since the last call, then clears the log."""
    requests = [r for r in _admin("GET", "/requests")["requests"] if r["path"].startswith("/oauth/")]
    _admin("DELETE", "/requests")
    return requests


def _wire(request: dict[str, Any]) -> tuple[Any, ...]:
    """What is compared of one request: method, path, query, media type and body (JSON bodies
    as key-ordered pairs, so the order of fields counts too)."""
    media = request["headers"].get("content-type", "").split(";")[0]
    body = request["body"]
    if media == "application/json":
        body = json.loads(body, object_pairs_hook=lambda pairs: tuple(pairs))
    return (request["method"], request["path"], request["query"], media, body)


@pytest.fixture()
def library() -> Any:
    client = ctypes.c_void_p()
    out = ctypes.c_void_p()
    options = json.dumps({"base_url": BASE, "client_id": "gumloop_cli"}).encode()
    assert LIB.gumloop_client_new(options, ctypes.byref(client), ctypes.byref(out)) == 0
    yield client
    LIB.gumloop_client_free(client)


@pytest.fixture()
def sdk() -> OAuth:
    _admin("POST", "/reset", {})
    return OAuth(base_url=BASE, timeout=10.0)


def test_register_client_sends_the_sdks_json(sdk: OAuth, library: Any) -> None:
    sdk.register_client(REDIRECT, scopes=["gumloop_api", "userinfo"])
    theirs = _logged()
    code, ours = _call("gumloop_client_oauth_register_client", library, _enc(REDIRECT), None, b'["gumloop_api","userinfo"]', None)
    assert code == 0, ours
    assert [_wire(r) for r in _logged()] == [_wire(r) for r in theirs]
    # Defaults: the SDK's client name and scopes.
    sdk.register_client(REDIRECT)
    theirs = _logged()
    _call("gumloop_client_oauth_register_client", library, _enc(REDIRECT), None, None, None)
    assert [_wire(r) for r in _logged()] == [_wire(r) for r in theirs]


@pytest.mark.parametrize(
    "code,verifier",
    [("code_fixed", "verifier_fixed"), ("c/1 2+&=é", "v~._-*")],
)
def test_exchange_code_sends_the_sdks_form(sdk: OAuth, library: Any, code: str, verifier: str) -> None:
    with pytest.raises(APIStatusError) as raised:
        sdk.exchange_code("gumloop_cli", code, REDIRECT, verifier)
    theirs = _logged()
    status, ours = _call("gumloop_client_oauth_exchange_code", library, b"gumloop_cli", _enc(code), _enc(REDIRECT), _enc(verifier), None, None)
    assert [_wire(r) for r in _logged()] == [_wire(r) for r in theirs]
    # The same RFC error, read the same way.
    assert raised.value.status_code == ours["error"]["status"] == 400
    assert raised.value.body == ours["error"]["body"]
    assert str(raised.value) == ours["error"]["message"]
    assert status == 200  # GUMLOOP_ERR_BAD_REQUEST


def test_refresh_and_revoke_send_the_sdks_forms(sdk: OAuth, library: Any) -> None:
    with pytest.raises(APIStatusError):
        sdk.refresh_token("gumloop_cli", "grt_same token/1")
    assert sdk.revoke("gumloop_cli", "tok same/1") is None
    theirs = _logged()
    _call("gumloop_client_oauth_refresh_token", library, b"gumloop_cli", _enc("grt_same token/1"), None, None)
    code, ours = _call("gumloop_client_oauth_revoke", library, b"gumloop_cli", _enc("tok same/1"), None)
    assert (code, ours) == (0, {})
    assert [_wire(r) for r in _logged()] == [_wire(r) for r in theirs]


def test_the_authorization_url_has_the_sdks_parameters(sdk: OAuth) -> None:
    url, verifier, state = sdk.build_authorization_url(
        "gumloop_cli", REDIRECT, scopes=["gumloop_api", "userinfo"], resource="https://mcp.example/x", state="st_1"
    )
    code, built = _call(
        "gumloop_oauth_build_authorization_url",
        json.dumps({"client_id": "gumloop_cli", "redirect_uri": REDIRECT, "scopes": ["gumloop_api", "userinfo"],
                    "resource": "https://mcp.example/x", "state": "st_1", "base_url": BASE}).encode(),
    )
    assert code == 0, built
    theirs, ours = urlsplit(url), urlsplit(built["url"])
    assert (ours.scheme, ours.netloc, ours.path) == (theirs.scheme, theirs.netloc, theirs.path)
    their_pairs, our_pairs = parse_qsl(theirs.query), parse_qsl(ours.query)
    assert [k for k, _ in our_pairs] == [k for k, _ in their_pairs]
    differ = {"code_challenge"}  # each side's own verifier
    assert [p for p in our_pairs if p[0] not in differ] == [p for p in their_pairs if p[0] not in differ]
    assert built["state"] == state == "st_1"
    assert len(built["code_verifier"]) == len(verifier)
    # Each challenge is S256 of its own verifier, and the emulator accepts the library's flow.
    approved = _admin("POST", "/oauth/approve", {"url": built["url"]})
    assert approved["state"] == "st_1"
    tokens = sdk.exchange_code("gumloop_cli", approved["code"], REDIRECT, built["code_verifier"])
    assert tokens["token_type"] == "Bearer"
