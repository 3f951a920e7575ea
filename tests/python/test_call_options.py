"""``call_options`` gives the calls made inside a block their own time limit and headers, for
every method of both clients, and nothing to the calls outside it."""

import asyncio

import pytest

import gumloop_ffi
from conftest import Emulator

SESSION_PATH = "/api/v1/sessions/*"


def test_a_blocks_time_limit_applies_to_its_calls_only(
    ada: gumloop_ffi.Client, emulator: Emulator
) -> None:
    created = ada.sessions.create("agent_pro")
    # Every attempt the read may make (it is retried after a time-out) is held for a minute.
    emulator.arm(method="GET", path=SESSION_PATH, times=3, delay_ms=60_000)
    with gumloop_ffi.call_options(timeout=0.2):
        with pytest.raises(gumloop_ffi.APITimeoutError):
            ada.sessions.retrieve(created.session.id)
    emulator.reset()
    created = ada.sessions.create("agent_pro")
    assert ada.sessions.retrieve(created.session.id).session.id == created.session.id


def test_headers_nest_and_a_methods_own_win(ada: gumloop_ffi.Client, emulator: Emulator) -> None:
    with gumloop_ffi.call_options(extra_headers={"x-tenant": "acme", "x-team": "a"}):
        ada.agents.list()
        with gumloop_ffi.call_options(extra_headers={"x-team": "b"}):
            ada.agents.list()
            ada.sessions.create("agent_pro", extra_headers={"x-tenant": "own"})
    ada.agents.list()
    outer, inner, own, outside = (r["headers"] for r in emulator.requests())
    assert (outer["x-tenant"], outer["x-team"]) == ("acme", "a")
    assert (inner["x-tenant"], inner["x-team"]) == ("acme", "b")
    assert (own["x-tenant"], own["x-team"]) == ("own", "b")
    assert "x-tenant" not in outside and "x-team" not in outside


def test_bad_options_are_refused_and_send_nothing(ada: gumloop_ffi.Client, emulator: Emulator) -> None:
    with pytest.raises(gumloop_ffi.InvalidArgumentError):
        with gumloop_ffi.call_options(timeout=-1):
            pass
    with pytest.raises(gumloop_ffi.InvalidArgumentError):
        with gumloop_ffi.call_options(extra_headers={"x-n": 1}):  # type: ignore[dict-item]
            pass
    with gumloop_ffi.call_options(extra_headers={"authorization": "Bearer stolen"}):
        with pytest.raises(gumloop_ffi.InvalidArgumentError) as caught:
            ada.agents.list()
    assert "authorization" in str(caught.value).lower()
    assert emulator.requests() == [], "nothing was sent"


def test_an_asyncio_task_keeps_the_block_it_started_in(emulator: Emulator) -> None:
    async def main() -> None:
        async with gumloop_ffi.AsyncClient("gk_personal_ada", user_id="user_ada") as client:

            async def tagged(tag: str) -> None:
                with gumloop_ffi.call_options(extra_headers={"x-tag": tag}):
                    await client.agents.list()

            await asyncio.gather(tagged("one"), tagged("two"), client.agents.list())

    asyncio.run(main())
    tags = sorted(r["headers"].get("x-tag", "-") for r in emulator.requests())
    assert tags == ["-", "one", "two"]
