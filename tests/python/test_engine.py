"""The engine's own guarantees, below the clients: a call whose end was taken but never handed
over (a signal came between) ends as cancelled instead of being waited for forever; one poller
shared by threads hands each its own call's end."""

from __future__ import annotations

import threading
from typing import List

import pytest

from gumloop_ffi import CancelledError, Client, GumloopError
from gumloop_ffi._engine import SyncPoller
from gumloop_ffi._requests import Param, Request


def get_session(session_id: str) -> Request:
    return Request("get_session", (Param("session_id", session_id.encode()),))


def test_a_lost_end_is_not_waited_for_forever(ada: Client) -> None:
    sid = ada.sessions.create("agent_pro").session.id
    poller = SyncPoller()
    with ada._handle.use() as client:
        call = poller.start(client, get_session(sid))
        # What a signal between take and hand-over leaves: the library retired the call, the
        # Python side never saw its end.
        del poller._calls[call.call_id]
        while poller.items_taken == 0:  # the end arrives, is taken, and goes nowhere
            poller._poll.poll()
            poller.drain()
        assert not call.ended
        poller.wait_end(call)
    assert isinstance(call.failure, CancelledError)


def test_threads_sharing_a_poller_each_get_their_own_end(ada: Client) -> None:
    ids = [ada.sessions.create("agent_pro", name=f"s{i}").session.id for i in range(6)]
    poller = SyncPoller()
    names: List[str] = []
    failures: List[BaseException] = []

    def work(session_id: str) -> None:
        try:
            with ada._handle.use() as client:
                call = poller.start(client, get_session(session_id))
                while not call.ended:
                    poller.wait(call)
            code, text = call.outcome_now()
            assert code == 0 and text is not None and session_id in text
            names.append(session_id)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=work, args=(sid,)) for sid in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == [] and sorted(names) == sorted(ids)


def test_a_refused_start_sends_nothing(ada: Client) -> None:
    poller = SyncPoller()
    with ada._handle.use() as client:
        with pytest.raises(GumloopError):
            poller.start(client, Request("no_such_operation", ()))
    assert poller.in_flight == 0
