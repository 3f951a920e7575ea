"""The session lifecycle: retrieve, list (one page, and every page), send (immediate and
queued), cancel, rename, wait; the client's retry options and recovered creates."""

from __future__ import annotations

import inspect
import threading
import urllib.parse
from typing import Any, Callable, Dict, List

import pytest

from gumloop_ffi import (
    APIConnectionError,
    APITimeoutError,
    CancelledError,
    CancelToken,
    Client,
    ConflictError,
    InternalServerError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    MessageReceipt,
    NotFoundError,
    Session,
    SessionList,
    SessionResponse,
)

from conftest import SESSIONS_PATH, Emulator, sent_body

FAULT_TIMES = 11  # outlasts any retry policy the library allows


def query_of(entry: Dict[str, Any]) -> Dict[str, List[str]]:
    return urllib.parse.parse_qs(entry["query"] or "", keep_blank_values=True)


def make_sessions(client: Client, count: int, prefix: str = "sess_page_") -> List[str]:
    ids = [f"{prefix}{i}" for i in range(count)]
    for session_id in ids:
        client.sessions.create("agent_pro", session_id=session_id)
    return ids


# --- retrieve --------------------------------------------------------------------------------


def test_retrieve(ada: Client, emulator: Emulator) -> None:
    created = ada.sessions.create("agent_pro", "[words:3] hi")
    emulator.clear_log()

    retrieved = ada.sessions.retrieve(created.session.id)

    assert isinstance(retrieved, SessionResponse) and isinstance(retrieved.session, Session)
    assert retrieved.session.id == created.session.id
    assert retrieved.session.messages[0]["content"] == "[words:3] hi"
    assert retrieved.recovered is False and retrieved.attempts is None
    (request,) = emulator.requests()
    assert request["method"] == "GET"
    assert request["path"] == f"/api/v1/sessions/{created.session.id}"


def test_retrieve_a_missing_session(ada: Client) -> None:
    with pytest.raises(NotFoundError) as caught:
        ada.sessions.retrieve("sess_missing")
    assert caught.value.status_code == 404


def test_session_ids_are_one_path_segment(ada: Client, emulator: Emulator) -> None:
    with pytest.raises(NotFoundError):
        ada.sessions.retrieve("../agents/agent_pro")
    assert emulator.requests()[0]["path"] == "/api/v1/sessions/..%2Fagents%2Fagent_pro"


# --- send ------------------------------------------------------------------------------------


def test_send_to_a_busy_session_conflicts_then_succeeds_once_it_settled(
    ada: Client, emulator: Emulator
) -> None:
    session_id = ada.sessions.create("agent_pro", "[slow:60000] working").session.id
    with pytest.raises(ConflictError) as caught:
        ada.sessions.send(session_id, "too soon")
    assert caught.value.code == "interaction_not_in_terminal_state"
    ada.sessions.cancel(session_id)

    sent = ada.sessions.send(session_id, "[words:4] again", attachments=[])
    assert isinstance(sent, SessionResponse)
    assert sent.session.state in ("processing", "queued")
    request = emulator.requests()[-1]
    assert request["path"] == f"/api/v1/sessions/{session_id}/messages"
    assert sent_body(request) == {"input": "[words:4] again", "attachments": []}
    assert "idempotency-key" not in request["headers"]
    assert ada.sessions.wait(session_id).session.state == "completed"


def test_queued_delivery_returns_a_receipt(ada: Client, emulator: Emulator) -> None:
    session_id = ada.sessions.create("agent_pro", "[slow:60000] busy").session.id

    receipt = ada.sessions.send(session_id, "later", delivery="queued")
    assert isinstance(receipt, MessageReceipt)
    assert receipt.message_id and receipt.status == "accepted"
    request = emulator.requests()[-1]
    assert sent_body(request) == {"input": "later", "delivery": "queued"}
    assert request["headers"]["idempotency-key"], "a key is generated when none is given"

    # The same idempotency key twice: one message, one receipt.
    first = ada.sessions.send(session_id, "once", delivery="queued", idempotency_key="key-1")
    again = ada.sessions.send(session_id, "once", delivery="queued", idempotency_key="key-1")
    assert first.message_id == again.message_id
    request = emulator.requests()[-1]
    assert request["headers"]["idempotency-key"] == "key-1"
    assert "idempotency_key" not in sent_body(request)
    ada.sessions.cancel(session_id)


def test_send_needs_input(ada: Client, emulator: Emulator) -> None:
    session_id = ada.sessions.create("agent_pro").session.id
    emulator.clear_log()
    with pytest.raises(InvalidArgumentError):
        ada.sessions.send(session_id)
    with pytest.raises(InvalidArgumentTypeError):
        ada.sessions.send(session_id, "hi", attachments="a.txt")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError) as caught:
        ada.sessions.send(session_id, "hi", delivery="queued", idempotency_key="has space")
    assert caught.value.param == "idempotency_key"
    assert emulator.requests() == []


# --- cancel and rename -----------------------------------------------------------------------


def test_cancel_a_running_session_and_a_settled_one(ada: Client, emulator: Emulator) -> None:
    running = ada.sessions.create("agent_pro", "[slow:60000] long job").session.id

    cancelled = ada.sessions.cancel(running)

    assert cancelled.session.id == running and cancelled.session.state == "failed"
    request = emulator.requests()[-1]
    assert request["method"] == "POST" and request["path"] == f"/api/v1/sessions/{running}/cancel"
    assert ada.sessions.retrieve(running).session.state == "failed"

    idle = ada.sessions.create("agent_pro").session.id
    assert ada.sessions.cancel(idle).session.state == "idle"


def test_rename(ada: Client, emulator: Emulator) -> None:
    session_id = ada.sessions.create("agent_pro").session.id

    renamed = ada.sessions.rename(session_id, "  Weekly report  ")

    assert renamed.session.name == "Weekly report"
    request = emulator.requests()[-1]
    assert request["method"] == "PATCH" and sent_body(request) == {"name": "  Weekly report  "}
    assert ada.sessions.retrieve(session_id).session.name == "Weekly report"
    emulator.clear_log()
    with pytest.raises(InvalidArgumentError):
        ada.sessions.rename(session_id, "   ")
    with pytest.raises(InvalidArgumentTypeError):
        ada.sessions.rename(session_id, None)  # type: ignore[arg-type]
    assert emulator.requests() == []


def test_update_is_the_sdk_name_of_rename(ada: Client, emulator: Emulator) -> None:
    assert inspect.signature(ada.sessions.update) == inspect.signature(ada.sessions.rename)
    session_id = ada.sessions.create("agent_pro").session.id

    updated = ada.sessions.update(session_id, name="Quarterly report")

    assert updated.session.name == "Quarterly report"
    request = emulator.requests()[-1]
    assert request["method"] == "PATCH" and sent_body(request) == {"name": "Quarterly report"}
    emulator.clear_log()
    with pytest.raises(InvalidArgumentError):
        ada.sessions.update(session_id, name="   ")
    assert emulator.requests() == []


# --- wait ------------------------------------------------------------------------------------


def test_wait_times_out_with_the_last_state_then_returns_the_settled_session(
    ada: Client,
) -> None:
    slow = ada.sessions.create("agent_pro", "[slow:60000] takes a minute").session.id
    with pytest.raises(APITimeoutError) as caught:
        ada.sessions.wait(slow, timeout=0.2, poll_interval=0.05)
    assert isinstance(caught.value, APIConnectionError)
    assert caught.value.details["last_state"] == "processing"
    ada.sessions.cancel(slow)
    assert ada.sessions.wait(slow, timeout=30).session.state == "failed"

    quick = ada.sessions.create("agent_pro", "[words:3] quick").session.id
    settled = ada.sessions.wait(quick, poll_interval=0.05, max_poll_interval=0.2)
    assert settled.session.state == "completed"
    assert settled.session.messages[-1]["role"] == "assistant"

    failing = ada.sessions.create("agent_pro", "[fail] no").session.id
    assert ada.sessions.wait(failing).session.state == "failed"
    asking = ada.sessions.create("agent_pro", "[approval] may I").session.id
    assert ada.sessions.wait(asking).session.state == "approval_required"


def test_wait_options_are_checked(ada: Client, emulator: Emulator) -> None:
    for bad in ({"timeout": 0}, {"poll_interval": -1.0}, {"max_poll_interval": float("nan")}):
        with pytest.raises(InvalidArgumentError):
            ada.sessions.wait("sess_x", **bad)
    with pytest.raises(InvalidArgumentTypeError):
        ada.sessions.wait("sess_x", timeout="5")  # type: ignore[arg-type]
    assert emulator.requests() == []


# --- list ------------------------------------------------------------------------------------


def test_list_returns_one_page(ada: Client, emulator: Emulator) -> None:
    make_sessions(ada, 3)
    emulator.clear_log()

    page = ada.sessions.list("agent_pro", page_size=2)

    assert isinstance(page, SessionList)
    assert len(page.sessions) == 2 and all(isinstance(s, Session) for s in page.sessions)
    assert all(s.messages == [] for s in page.sessions)
    assert page.next_cursor
    last = ada.sessions.list("agent_pro", page_size=2, cursor=page.next_cursor)
    assert len(last.sessions) == 1 and last.next_cursor is None
    first, second = emulator.requests()
    assert first["path"] == "/api/v1/agents/agent_pro/sessions"
    assert query_of(first) == {"page_size": ["2"]}
    assert query_of(second) == {"page_size": ["2"], "cursor": [page.next_cursor]}


def test_list_sends_every_filter(ada: Client, emulator: Emulator) -> None:
    ada.sessions.list(
        "agent_pro",
        page_size=5,
        search="weekly report",
        sort_order="oldest",
        type="api",
        state="idle",
        creator_user_id="user_ada",
        trigger_id="trg_1",
        custom_param="x&y",
        unset_param=None,
    )
    (request,) = emulator.requests()
    assert query_of(request) == {
        "page_size": ["5"],
        "search": ["weekly report"],
        "sort_order": ["oldest"],
        "type": ["api"],
        "state": ["idle"],
        "creator_user_id": ["user_ada"],
        "trigger_id": ["trg_1"],
        "custom_param": ["x&y"],
    }


def test_list_filters_by_state(ada: Client) -> None:
    idle = make_sessions(ada, 2, "sess_idle_")
    ada.sessions.create("agent_pro", "[slow:60000] busy", session_id="sess_busy")
    assert sorted(s.id for s in ada.sessions.list("agent_pro", state="idle").sessions) == idle
    ada.sessions.cancel("sess_busy")


def test_list_arguments_are_checked(ada: Client, emulator: Emulator) -> None:
    with pytest.raises(InvalidArgumentError):
        ada.sessions.list("agent_pro", page_size=0)
    with pytest.raises(InvalidArgumentTypeError):
        ada.sessions.list("agent_pro", page_size="2")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentTypeError):
        ada.sessions.list("agent_pro", state=3)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError) as caught:
        ada.sessions.list("agent_pro", page_size=500)  # the library's range check
    assert caught.value.param == "page_size"
    assert emulator.requests() == []


def test_list_all_follows_every_cursor(ada: Client, emulator: Emulator) -> None:
    ids = make_sessions(ada, 5)
    emulator.clear_log()

    everything = ada.sessions.list_all("agent_pro", page_size=2)
    assert emulator.requests() == [], "nothing is sent before the first next()"
    sessions = list(everything)

    assert sorted(s.id for s in sessions) == ids
    assert all(isinstance(s, Session) for s in sessions)
    pages = emulator.requests()
    assert len(pages) == 3
    assert [query_of(p).get("cursor") is None for p in pages] == [True, False, False]
    assert all(query_of(p)["page_size"] == ["2"] for p in pages)


def test_list_all_fetches_a_page_only_when_needed(ada: Client, emulator: Emulator) -> None:
    make_sessions(ada, 5)
    emulator.clear_log()
    everything = ada.sessions.list_all("agent_pro", page_size=2)
    next(everything)
    next(everything)
    assert len(emulator.requests()) == 1
    next(everything)
    assert len(emulator.requests()) == 2


def test_list_all_of_an_agent_without_sessions(ada: Client) -> None:
    assert list(ada.sessions.list_all("agent_free")) == []


def test_list_all_checks_arguments_at_once(ada: Client) -> None:
    with pytest.raises(InvalidArgumentTypeError):
        ada.sessions.list_all("agent_pro", page_size=True)
    with pytest.raises(InvalidArgumentTypeError):
        ada.sessions.list_all("agent_pro", cancel=object())  # type: ignore[arg-type]


# --- every call takes a cancel token ---------------------------------------------------------

CALLS: Dict[str, Callable[[Client, CancelToken], Any]] = {
    "create": lambda c, t: c.sessions.create("agent_pro", cancel=t),
    "retrieve": lambda c, t: c.sessions.retrieve("sess_x", cancel=t),
    "list": lambda c, t: c.sessions.list("agent_pro", cancel=t),
    "list_all": lambda c, t: list(c.sessions.list_all("agent_pro", cancel=t)),
    "send": lambda c, t: c.sessions.send("sess_x", "hi", cancel=t),
    "cancel": lambda c, t: c.sessions.cancel("sess_x", cancel=t),
    "rename": lambda c, t: c.sessions.rename("sess_x", "name", cancel=t),
    "wait": lambda c, t: c.sessions.wait("sess_x", cancel=t),
    "stream": lambda c, t: list(c.sessions.stream("agent_pro", "hi", cancel=t)),
    "stream_message": lambda c, t: list(c.sessions.stream_message("sess_x", "hi", cancel=t)),
    "resume_stream": lambda c, t: list(c.sessions.resume_stream("sess_x", "sess_x:1", cancel=t)),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_triggered_token_ends_every_call_before_it_sends(
    name: str, ada: Client, emulator: Emulator
) -> None:
    with CancelToken() as token:
        token.cancel()
        with pytest.raises(CancelledError):
            CALLS[name](ada, token)
    assert emulator.requests() == []


def test_a_token_ends_a_wait_in_progress(ada: Client) -> None:
    session_id = ada.sessions.create("agent_pro", "[slow:60000] forever").session.id
    with CancelToken() as token:
        timer = threading.Timer(0.2, token.cancel)  # the outcome does not depend on when
        timer.start()
        with pytest.raises(CancelledError):
            ada.sessions.wait(session_id, cancel=token)
        timer.join()
    ada.sessions.cancel(session_id)


# --- retries and recovered creates -----------------------------------------------------------


def test_max_retries_zero_makes_one_attempt(emulator: Emulator) -> None:
    emulator.arm(times=FAULT_TIMES, status=503)
    with Client("gk_personal_ada", user_id="user_ada", max_retries=0) as client:
        with pytest.raises(InternalServerError) as caught:
            client.sessions.create("agent_pro")
    assert caught.value.status_code == 503
    assert len(emulator.requests()) == 1


def test_max_retries_and_max_backoff_bound_the_repeats(emulator: Emulator) -> None:
    emulator.arm(times=FAULT_TIMES, status=503)
    with Client("gk_personal_ada", user_id="user_ada", max_retries=3, max_backoff=0.05) as client:
        with pytest.raises(InternalServerError):
            client.sessions.create("agent_pro")
    assert len(emulator.requests()) == 4


def test_a_retried_503_succeeds(emulator: Emulator) -> None:
    emulator.arm(times=1, status=503)
    with Client("gk_personal_ada", user_id="user_ada", max_backoff=0.05) as client:
        assert client.sessions.create("agent_pro").session.state == "idle"
    assert len(emulator.requests()) == 2


def test_retry_options_are_checked() -> None:
    with pytest.raises(InvalidArgumentError):
        Client("gt_oauth_ada", max_retries=-1)
    with pytest.raises(InvalidArgumentTypeError):
        Client("gt_oauth_ada", max_retries=True)
    with pytest.raises(InvalidArgumentError) as caught:
        Client("gt_oauth_ada", max_retries=11)  # the library's upper bound
    assert caught.value.param == "max_retries"
    with pytest.raises(InvalidArgumentError):
        Client("gt_oauth_ada", max_backoff=0)
    with pytest.raises(InvalidArgumentTypeError):
        Client("gt_oauth_ada", auto_session_id="yes")  # type: ignore[arg-type]


def test_a_create_whose_answer_was_lost_is_recovered(ada: Client, emulator: Emulator) -> None:
    emulator.arm(path=SESSIONS_PATH, reset="before_response")

    created = ada.sessions.create("agent_pro", "do it once", session_id="sess_exactly_once")

    assert created.recovered is True and created.attempts == 2
    assert created["_gumloop"] == {"recovered": True, "attempts": 2}
    assert created.session.id == "sess_exactly_once"
    assert emulator.stats()["sessions"]["total"] == 1
    assert [r["method"] for r in emulator.requests()] == ["POST", "POST", "GET"]


def test_auto_session_id_protects_creates_without_an_id(emulator: Emulator) -> None:
    emulator.arm(path=SESSIONS_PATH, reset="before_response")
    with Client("gk_personal_ada", user_id="user_ada", auto_session_id=True) as client:
        created = client.sessions.create("agent_pro", "generated id")
        plain = client.sessions.create("agent_pro")

    assert created.recovered is True
    assert created.session.id.startswith("sess_")
    assert plain.recovered is False
    first = emulator.requests()[0]
    assert sent_body(first)["session_id"] == created.session.id
    assert emulator.stats()["sessions"]["total"] == 2


def test_without_a_session_id_a_lost_answer_is_an_error(ada: Client, emulator: Emulator) -> None:
    emulator.arm(path=SESSIONS_PATH, reset="before_response")
    with pytest.raises(APIConnectionError) as caught:
        ada.sessions.create("agent_pro", "not repeated")
    assert caught.value.kind == "GUMLOOP_ERR_CONNECTION_LOST"
    assert len(emulator.requests()) == 1
