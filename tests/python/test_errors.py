"""Every exception class, and caller errors that are refused before anything is sent."""

from __future__ import annotations

import math
import pickle
import re
import socket
from typing import Any, Callable, Dict, Type

import pytest

import gumloop_ffi
from gumloop_ffi import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    Client,
    ClientClosedError,
    ConflictError,
    GumloopError,
    InternalServerError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    InvalidResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnauthorizedError,
)

from gumloop_ffi._errors import CODES, DOCUMENT_FIELDS, STREAM_FIELD, StreamIncompleteError

from conftest import REPO_ROOT, Emulator

# The library may repeat a request that provably did nothing (a 429 or 503, say); a fault armed
# this many times outlasts any retry policy it allows (at most 10 repeats).
FAULT_TIMES = 11

def assert_status_error(
    error: APIStatusError, status: int, kind: str, error_type: str, code: str
) -> None:
    assert error.status_code == status
    assert error.kind == kind
    assert gumloop_ffi.code_name(error.gumloop_code or 0) == kind
    assert error.type == error_type
    assert error.code == code
    assert isinstance(error.body, dict) and error.body["error"]["code"] == code
    assert error.error == error.body["error"]
    assert set(error.document["error"]) == set(DOCUMENT_FIELDS)
    assert error.document["error"]["status"] == status
    assert str(error) == error.message and error.message


# --- credentials ---------------------------------------------------------------------------


def test_no_credentials_anywhere(emulator: Emulator) -> None:
    with pytest.raises(AuthenticationError) as caught:
        Client()
    error = caught.value
    assert isinstance(error, InvalidArgumentError), "a caller error: nothing was sent"
    assert not isinstance(error, APIStatusError)
    assert error.kind == "GUMLOOP_ERR_NO_CREDENTIALS"
    assert error.gumloop_code == 6
    assert error.document["error"]["status"] is None
    with pytest.raises(AuthenticationError):
        gumloop_ffi.create_session("agent_pro")
    assert emulator.requests() == []


def test_unknown_key_is_401(emulator: Emulator) -> None:
    with Client("gk_nobody", user_id="user_ada") as client:
        with pytest.raises(UnauthorizedError) as caught:
            client.sessions.create("agent_pro")
    error = caught.value
    assert isinstance(error, AuthenticationError)
    assert isinstance(error, APIStatusError)
    assert error.status_code == 401
    assert error.kind == "GUMLOOP_ERR_UNAUTHORIZED"
    assert error.gumloop_code == 201
    assert error.type == "authentication_error"
    assert "gk_nobody" not in repr(error.document)


def test_personal_key_without_user_id_is_401() -> None:
    with Client("gk_personal_ada") as client:
        with pytest.raises(AuthenticationError) as caught:
            client.sessions.create("agent_pro")
    assert isinstance(caught.value, APIStatusError) and caught.value.status_code == 401


# --- statuses from the server --------------------------------------------------------------


def test_private_agent_is_403(ada: Client) -> None:
    with pytest.raises(PermissionDeniedError) as caught:
        ada.sessions.create("agent_private")
    assert caught.value.status_code == 403
    assert caught.value.kind == "GUMLOOP_ERR_FORBIDDEN"
    assert caught.value.type == "permission_error"


def test_team_key_without_team_id_is_403() -> None:
    with Client("gk_team_pro", user_id="user_ada") as client:
        with pytest.raises(PermissionDeniedError):
            client.sessions.create("agent_pro")


def test_unknown_agent_is_404(ada: Client) -> None:
    with pytest.raises(NotFoundError) as caught:
        ada.sessions.create("agent_nope")
    assert caught.value.status_code == 404
    assert caught.value.type == "not_found_error"
    assert caught.value.details == {"agent_id": "agent_nope"}


def test_repeated_session_id_is_409(ada: Client) -> None:
    ada.sessions.create("agent_pro", session_id="sess_dup")
    with pytest.raises(ConflictError) as caught:
        ada.sessions.create("agent_pro", session_id="sess_dup")
    assert_status_error(
        caught.value, 409, "GUMLOOP_ERR_CONFLICT", "invalid_request_error", "session_already_exists"
    )
    assert caught.value.retryable is False


def test_server_side_validation_is_400(ada: Client, emulator: Emulator) -> None:
    # The library lets an empty input through (it checks types, not content); the server refuses.
    with pytest.raises(BadRequestError) as caught:
        ada.sessions.create("agent_pro", "")
    assert caught.value.status_code == 400
    assert caught.value.kind == "GUMLOOP_ERR_BAD_REQUEST"
    assert caught.value.type == "invalid_request_error"
    assert len(emulator.requests()) == 1


def test_concurrency_limit_is_429_with_retry_after(ada: Client) -> None:
    # The free plan runs 5 at once; the runs below outlive the test (the reset ends them).
    for _ in range(5):
        ada.sessions.create("agent_free", "[slow:60000] busy")
    with pytest.raises(RateLimitError) as caught:
        ada.sessions.create("agent_free", "one too many")
    error = caught.value
    assert error.status_code == 429
    assert error.kind == "GUMLOOP_ERR_RATE_LIMITED"
    assert error.retry_after == 1.0
    assert error.document["error"]["retry_after_ms"] == 1000
    assert error.retryable is True


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, BadRequestError),
        (401, UnauthorizedError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (413, gumloop_ffi.PayloadTooLargeError),
        (418, APIStatusError),
    ],
)
def test_each_status_maps_to_its_class(
    ada: Client, emulator: Emulator, status: int, expected: Type[APIStatusError]
) -> None:
    emulator.arm(status=status, times=FAULT_TIMES)
    with pytest.raises(APIStatusError) as caught:
        ada.sessions.create("agent_pro")
    assert type(caught.value) is expected
    assert caught.value.status_code == status
    assert caught.value.code == "emulated_fault"


def test_503_with_retry_after(ada: Client, emulator: Emulator) -> None:
    emulator.arm(status=503, retry_after="1", times=FAULT_TIMES)
    with pytest.raises(InternalServerError) as caught:
        ada.sessions.create("agent_pro")
    assert caught.value.retry_after == 1.0
    assert caught.value.retryable is True


def test_non_json_error_body_is_kept_as_text(ada: Client, emulator: Emulator) -> None:
    emulator.arm(status=502, body="<html>bad gateway</html>", times=FAULT_TIMES)
    with pytest.raises(InternalServerError) as caught:
        ada.sessions.create("agent_pro")
    assert caught.value.body == "<html>bad gateway</html>"
    assert caught.value.code is None
    assert caught.value.error is None


# --- transport and response ---------------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        port: int = listener.getsockname()[1]
    return port


def test_nothing_listening_is_a_connection_error() -> None:
    url = f"http://127.0.0.1:{closed_port()}/api/v1"
    with Client("gt_oauth_ada", base_url=url, stream_base_url=url) as client:
        with pytest.raises(APIConnectionError) as caught:
            client.sessions.create("agent_pro")
    assert type(caught.value) is APIConnectionError
    assert caught.value.kind == "GUMLOOP_ERR_CONNECT"
    assert caught.value.gumloop_code == 100


def test_connection_closed_after_the_request_is_a_connection_error(
    ada: Client, emulator: Emulator
) -> None:
    emulator.arm(reset="before_response", times=FAULT_TIMES)
    with pytest.raises(APIConnectionError) as caught:
        ada.sessions.create("agent_pro")
    assert 100 <= (caught.value.gumloop_code or 0) <= 199


def test_timeout(emulator: Emulator) -> None:
    emulator.arm(delay_ms=5000)
    with Client("gt_oauth_ada", timeout=0.3) as client:
        with pytest.raises(APITimeoutError) as caught:
            client.sessions.create("agent_pro")
    assert isinstance(caught.value, APIConnectionError)
    assert caught.value.kind == "GUMLOOP_ERR_TIMEOUT"
    assert caught.value.gumloop_code == 101


def test_garbage_answer(ada: Client, emulator: Emulator) -> None:
    emulator.arm(garbage=True, times=FAULT_TIMES)
    with pytest.raises(InvalidResponseError) as caught:
        ada.sessions.create("agent_pro")
    assert caught.value.kind == "GUMLOOP_ERR_INVALID_RESPONSE"
    assert caught.value.status_code == 200


def test_answer_over_the_size_cap() -> None:
    with Client("gt_oauth_ada", max_response_bytes=16) as client:
        with pytest.raises(InvalidResponseError) as caught:
            client.sessions.create("agent_pro")
    assert caught.value.kind == "GUMLOOP_ERR_RESPONSE_TOO_LARGE"


# --- caller errors: raised before anything is sent -----------------------------------------

Call = Callable[[Client], Any]

INVALID_CALLS: Dict[str, "tuple[Call, str, bool]"] = {
    # name: (call, param the error names, whether it is a wrong type)
    "agent_id not str": (lambda c: c.sessions.create(42), "agent_id", True),  # type: ignore[arg-type]
    "agent_id empty": (lambda c: c.sessions.create(""), "agent_id", False),
    "agent_id with NUL": (lambda c: c.sessions.create("agent\x00pro"), "agent_id", False),
    "agent_id lone surrogate": (lambda c: c.sessions.create("a\udc80"), "agent_id", False),
    "input not str": (lambda c: c.sessions.create("agent_pro", 7), "input", True),  # type: ignore[arg-type]
    "name blank": (lambda c: c.sessions.create("agent_pro", name="   "), "name", False),
    "name too long": (lambda c: c.sessions.create("agent_pro", name="n" * 257), "name", False),
    "name not str": (lambda c: c.sessions.create("agent_pro", name=5), "name", True),  # type: ignore[arg-type]
    "session_id empty": (lambda c: c.sessions.create("agent_pro", session_id=""), "session_id", False),
    "metadata not mapping": (
        lambda c: c.sessions.create("agent_pro", metadata=["a"]),  # type: ignore[arg-type]
        "metadata",
        True,
    ),
    "metadata key not str": (
        lambda c: c.sessions.create("agent_pro", metadata={1: "a"}),  # type: ignore[dict-item]
        "metadata",
        True,
    ),
    "incognito not bool": (
        lambda c: c.sessions.create("agent_pro", incognito="yes"),  # type: ignore[arg-type]
        "incognito",
        True,
    ),
    "extra not JSON": (lambda c: c.sessions.create("agent_pro", when=object()), "body", True),
    "extra NaN": (lambda c: c.sessions.create("agent_pro", score=math.nan), "body", False),
    "stream true": (lambda c: c.sessions.create("agent_pro", stream=True), "stream", False),
    "message wrong type": (lambda c: c.sessions.create("agent_pro", message=3), "message", False),
}


@pytest.mark.parametrize("case", sorted(INVALID_CALLS))
def test_invalid_arguments_send_nothing(ada: Client, emulator: Emulator, case: str) -> None:
    call, param, wrong_type = INVALID_CALLS[case]
    with pytest.raises(InvalidArgumentError) as caught:
        call(ada)
    error = caught.value
    assert isinstance(error, ValueError)
    assert isinstance(error, TypeError) == wrong_type
    assert isinstance(error, InvalidArgumentTypeError) == wrong_type
    assert error.param == param
    assert 1 <= (error.gumloop_code or 0) <= 99
    assert error.document["error"]["status"] is None
    assert emulator.requests() == []


def test_streaming_body_names_the_streaming_call(ada: Client) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        ada.sessions.create("agent_pro", stream=True)
    assert caught.value.kind == "GUMLOOP_ERR_USE_STREAMING_CALL"


@pytest.mark.parametrize(
    ("options", "param"),
    [
        ({"timeout": 0}, "timeout"),
        ({"timeout": -1.0}, "timeout"),
        ({"timeout": math.inf}, "timeout"),
        ({"connect_timeout": "5"}, "connect_timeout"),
        ({"max_response_bytes": 0}, "max_response_bytes"),
        ({"max_response_bytes": 1.5}, "max_response_bytes"),
        ({"user_id": 7}, "user_id"),
        ({"extra_headers": {"x-a": 1}}, "extra_headers"),
        ({"ca_cert_path": 3}, "ca_cert_path"),
        ({"allow_insecure_http": "no"}, "allow_insecure_http"),
        # Refused by the library (GUMLOOP_ERR_INVALID_OPTION).
        ({"base_url": "ftp://example.com/api/v1"}, "base_url"),
        ({"base_url": "http://example.com/api/v1"}, "base_url"),
        ({"extra_headers": {"Authorization": "Bearer x"}}, "extra_headers"),
        ({"user_id": "user\r\nX-Evil: 1"}, "user_id"),
        ({"ca_cert_path": "/nonexistent/ca.pem"}, "ca_cert_path"),
        ({"access_token": ""}, "access_token"),
    ],
)
def test_invalid_options(emulator: Emulator, options: Dict[str, Any], param: str) -> None:
    options.setdefault("access_token", "gt_oauth_ada")
    with pytest.raises(InvalidArgumentError) as caught:
        Client(**options)
    assert caught.value.param == param
    assert emulator.requests() == []


def test_one_shot_refuses_bad_arguments(emulator: Emulator) -> None:
    with pytest.raises(InvalidArgumentTypeError):
        gumloop_ffi.create_session("agent_pro", body="{}")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError) as caught:
        gumloop_ffi.create_session("agent_pro", access_token="")
    assert caught.value.param == "access_token"
    with pytest.raises(InvalidArgumentError):
        gumloop_ffi.create_session("agent_pro", {"name": ""}, "gt_oauth_ada")
    with pytest.raises(InvalidArgumentError):
        gumloop_ffi.create_session("agent_pro", None, "gt\x00oauth")
    assert emulator.requests() == []


# --- after close, and the error objects themselves ------------------------------------------


def test_calls_after_close_raise(emulator: Emulator) -> None:
    client = Client("gt_oauth_ada")
    client.close()
    client.close()  # idempotent
    assert client.closed
    with pytest.raises(ClientClosedError) as caught:
        client.sessions.create("agent_pro")
    assert isinstance(caught.value, RuntimeError)
    assert isinstance(caught.value, GumloopError)
    assert "closed" in str(caught.value)
    with pytest.raises(ClientClosedError):
        with client:
            pass
    assert emulator.requests() == []


def test_errors_survive_pickling(ada: Client) -> None:
    ada.sessions.create("agent_pro", session_id="sess_pickle")
    with pytest.raises(ConflictError) as caught:
        ada.sessions.create("agent_pro", session_id="sess_pickle")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is ConflictError
    assert copy.document == caught.value.document
    assert copy.status_code == 409 and copy.code == "session_already_exists"


def test_codes_are_the_headers() -> None:
    # CODES is read from the library's description; the header is generated from the same
    # source, so the two must hold the same constants.
    header = (REPO_ROOT / "include" / "gumloop.h").read_text()
    defined = {
        name: int(value)
        for name, value in re.findall(r"^#define (GUMLOOP_ERR_\w+) (\d+)$", header, re.M)
    }
    assert defined and {k: v for k, v in CODES.items() if k != "GUMLOOP_OK"} == defined


#: The attribute that reads each field of the error document.
FIELD_ATTRIBUTES = {
    "kind": "kind",
    "gumloop_code": "gumloop_code",
    "message": "message",
    "status": "status_code",
    "code": "code",
    "type": "type",
    "param": "param",
    "details": "details",
    "retryable": "retryable",
    "attempts": "attempts",
    "retry_after_ms": "retry_after",
    "trace_id": "trace_id",
    "body": "body",
}


def test_every_document_field_has_an_attribute(ada: Client, emulator: Emulator) -> None:
    assert set(FIELD_ATTRIBUTES) == set(DOCUMENT_FIELDS)
    emulator.arm(status=429, retry_after="2", times=FAULT_TIMES)
    with pytest.raises(RateLimitError) as caught:
        ada.sessions.create("agent_pro")
    error = caught.value
    info = error.document["error"]
    for field, attribute in FIELD_ATTRIBUTES.items():
        value = getattr(error, attribute)
        expected = info[field] / 1000 if field == "retry_after_ms" else info[field]
        assert value == expected, field
    assert error.attempts is not None and error.attempts > 1
    # The stream summary of a failed stream is `summary`.
    assert isinstance(getattr(StreamIncompleteError, "summary"), property)
    assert STREAM_FIELD not in info


def test_python_layer_documents_have_the_librarys_fields(ada: Client) -> None:
    with pytest.raises(InvalidArgumentError) as library:
        ada.sessions.create("agent_pro", stream=True)
    with pytest.raises(InvalidArgumentError) as python:
        ada.sessions.create("agent_pro", name=7)  # type: ignore[arg-type]
    assert library.value.kind == "GUMLOOP_ERR_USE_STREAMING_CALL"
    assert set(python.value.document["error"]) == set(library.value.document["error"])
    assert python.value.gumloop_code == CODES["GUMLOOP_ERR_INVALID_ARGUMENT"]


def test_code_descriptions() -> None:
    assert gumloop_ffi.code_name(0) == "GUMLOOP_OK"
    assert gumloop_ffi.code_name(204) == "GUMLOOP_ERR_CONFLICT"
    assert gumloop_ffi.code_name(12345) == "GUMLOOP_ERR_UNKNOWN"
    assert "409" in gumloop_ffi.code_message(204)
