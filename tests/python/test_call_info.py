"""A call's info (requests sent, duration, the server's request ID) is read without changing
the server's JSON: ``capture_call_info`` collects it for the calls started in its block, on this
thread or asyncio task."""

import asyncio

import gumloop_ffi
from conftest import Emulator


def test_a_retried_read_says_it_took_two_requests(ada: gumloop_ffi.Client, emulator: Emulator) -> None:
    created = ada.sessions.create("agent_pro")
    emulator.arm(method="GET", path="/api/v1/sessions/*", status=503)
    with gumloop_ffi.capture_call_info() as calls:
        retrieved = ada.sessions.retrieve(created.session.id)
        ada.agents.list()
    assert retrieved.session.id == created.session.id
    assert [c.operation for c in calls] == ["get_session", "list_agents"]
    assert calls[0].attempts == 2 and calls[1].attempts == 1
    assert all(c.request_id and c.request_id.startswith("req_") for c in calls)
    assert calls[0].request_id != calls[1].request_id
    assert all(c.duration_ms >= 0 for c in calls)
    # Outside the block nothing is collected, and the answer is the server's, unchanged.
    ada.agents.list()
    assert len(calls) == 2
    assert "request_id" not in retrieved.model_dump()


def test_a_failed_call_has_its_info_too(ada: gumloop_ffi.Client) -> None:
    with gumloop_ffi.capture_call_info() as calls:
        try:
            ada.sessions.retrieve("sess_missing")
        except gumloop_ffi.NotFoundError:
            pass
    (info,) = calls
    assert (info.operation, info.attempts) == ("get_session", 1)


def test_each_asyncio_task_collects_its_own_calls() -> None:
    async def main() -> None:
        async with gumloop_ffi.AsyncClient("gk_personal_ada", user_id="user_ada") as client:

            async def task(n: int) -> int:
                with gumloop_ffi.capture_call_info() as calls:
                    for _ in range(n):
                        await client.agents.list()
                return len(calls)

            assert list(await asyncio.gather(task(1), task(3))) == [1, 3]

    asyncio.run(main())
