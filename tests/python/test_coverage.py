"""Coverage: every operation, client option and code the library describes
(``gumloop_description_get``) has its method, constructor parameter and exception class, in the
blocking and the asyncio client alike. A library that gains an operation, an option or a code
fails here until the package covers it.

The only hand-kept facts are the names that differ: the method of each operation and the
parameter of each option whose Python name is not the library's.
"""

from __future__ import annotations

import inspect
from typing import Any, Dict, List, Tuple, Type

import pytest

import gumloop_ffi
from gumloop_ffi import _errors
from gumloop_ffi._description import CODE_TABLE, GROUPS, OPERATIONS, OPTIONS

#: operation -> (resource, method) on both clients ("" for the client itself).
METHODS: Dict[str, Tuple[str, str]] = {
    "create_session": ("sessions", "create"),
    "get_session": ("sessions", "retrieve"),
    "list_sessions": ("sessions", "list"),
    "send_message": ("sessions", "send"),
    "cancel_session": ("sessions", "cancel"),
    "rename_session": ("sessions", "rename"),
    "wait_session": ("sessions", "wait"),
    "stream_session": ("sessions", "stream"),
    "stream_message": ("sessions", "stream_message"),
    "resume_stream": ("sessions", "resume_stream"),
    "upload_file": ("sessions", "upload_file"),
    "resolve_approvals": ("sessions", "resolve_approvals"),
    "list_queue": ("sessions", "list_queue"),
    "queue_message": ("sessions", "queue_message"),
    "edit_queued_message": ("sessions", "edit_queued_message"),
    "delete_queued_message": ("sessions", "delete_queued_message"),
    "send_queued_message": ("sessions", "send_queued_message"),
    "get_session_access": ("sessions", "get_access"),
    "update_session_access": ("sessions", "update_access"),
    "list_agents": ("agents", "list"),
    "get_agent": ("agents", "retrieve"),
    "list_artifacts": ("artifacts", "list"),
    "get_artifact_download": ("artifacts", "download"),
    "download_artifact": ("artifacts", "download_bytes"),
    "download_artifact_to_file": ("artifacts", "download_to_file"),
    "send_request": ("", "request"),
    "oauth_register_client": ("oauth", "register_client"),
    "oauth_exchange_code": ("oauth", "exchange_code"),
    "oauth_refresh_token": ("oauth", "refresh_token"),
    "oauth_revoke": ("oauth", "revoke"),
}

#: option -> the constructor parameter, where the names differ (durations are in seconds).
PARAMETERS: Dict[str, str] = {
    "timeout_ms": "timeout",
    "connect_timeout_ms": "connect_timeout",
    "stream_idle_timeout_ms": "stream_timeout",
    "max_backoff_ms": "max_backoff",
}


def method_of(client_class: Type[Any], operation: str) -> Any:
    """The function of ``client_class`` (Client or AsyncClient) that runs ``operation``."""
    resource, name = METHODS[operation]
    owner = client_class
    if resource:
        owner = inspect.get_annotations(client_class, eval_str=True)[resource]
    return getattr(owner, name, None)


def uncovered_operations(client_class: Type[Any]) -> List[str]:
    missing = []
    for operation in OPERATIONS:
        if operation not in METHODS:
            missing.append(f"{operation} (no entry in METHODS)")
        elif not callable(method_of(client_class, operation)):
            missing.append(f"{operation} ({'.'.join(filter(None, METHODS[operation]))})")
    return missing


def test_the_description_lists_operations_options_and_codes() -> None:
    assert "get_session" in OPERATIONS and "timeout_ms" in OPTIONS
    assert any(entry["name"] == "GUMLOOP_ERR_CONFLICT" for entry in CODE_TABLE)


@pytest.mark.parametrize("client_class", [gumloop_ffi.Client, gumloop_ffi.AsyncClient])
def test_every_operation_has_a_method(client_class: Type[Any]) -> None:
    assert uncovered_operations(client_class) == []


def test_async_methods_are_awaited_or_iterated_and_sync_ones_are_not() -> None:
    for operation, description in OPERATIONS.items():
        sync = method_of(gumloop_ffi.Client, operation)
        asynchronous = method_of(gumloop_ffi.AsyncClient, operation)
        assert not inspect.iscoroutinefunction(sync), operation
        if description["result"] == "stream":
            continue  # both return their stream object at once
        assert inspect.iscoroutinefunction(asynchronous), operation


@pytest.mark.parametrize("client_class", [gumloop_ffi.Client, gumloop_ffi.AsyncClient])
def test_every_option_has_a_constructor_parameter(client_class: Type[Any]) -> None:
    # AsyncClient takes the blocking client's options (it passes them on), so both are read
    # from the one constructor that declares them.
    declared = inspect.signature(gumloop_ffi.Client.__init__).parameters
    missing = [name for name in OPTIONS if PARAMETERS.get(name, name) not in declared]
    assert missing == []
    if client_class is gumloop_ffi.AsyncClient:
        params = inspect.signature(client_class.__init__).parameters
        assert any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())


def test_every_error_stem_has_its_class() -> None:
    stems = {entry["error"] for entry in CODE_TABLE if entry["error"] is not None}
    stems |= {group["error"] for group in GROUPS}
    missing = [f"{stem}Error" for stem in sorted(stems) if _errors.stem_class(stem) is None]
    assert missing == []
    for stem in stems:
        assert getattr(gumloop_ffi, f"{stem}Error") is _errors.stem_class(stem), stem


def test_every_code_raises_its_class_under_its_groups() -> None:
    groups = {group["name"]: group for group in GROUPS}
    for entry in CODE_TABLE:
        if entry["error"] is None:
            continue
        error = _errors.error_from_call(entry["code"], None)
        stem_class = _errors.stem_class(entry["error"])
        group_class = _errors.stem_class(groups[entry["group"]]["error"])
        assert stem_class is not None and group_class is not None
        assert isinstance(error, stem_class), entry["name"]
        assert isinstance(error, group_class), entry["name"]
        assert error.kind == entry["name"] and error.gumloop_code == entry["code"]


def test_the_official_sdk_names() -> None:
    assert issubclass(gumloop_ffi.APIStatusError, gumloop_ffi.GumloopError)
    assert issubclass(gumloop_ffi.AuthenticationError, gumloop_ffi.GumloopError)
    assert issubclass(gumloop_ffi.UnauthorizedError, gumloop_ffi.AuthenticationError)
    assert issubclass(gumloop_ffi.UnauthorizedError, gumloop_ffi.APIStatusError)
