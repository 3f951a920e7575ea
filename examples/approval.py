"""approval: start a run that asks for approval, wait for the ask, approve it, and stream the
continued run, with gumloop_ffi.

    pip install ./bindings/python
    GUMLOOP_ACCESS_TOKEN=... GUMLOOP_USER_ID=... python examples/approval.py [agent_id] [prompt]

Against the local emulator, a prompt containing "[approval]" makes the run pause on one tool
approval. The continuation's text goes to standard output.
"""

from __future__ import annotations

import sys

from gumloop_ffi import Client, GumloopError, accept


def main(agent_id: str, prompt: str) -> int:
    try:
        with Client() as client:
            session_id = client.sessions.create(agent_id, prompt).session.id
            paused = client.sessions.wait(session_id)  # returns at approval_required
            if paused.session.state != "approval_required":
                print(f"the run did not ask: {paused.session.state}", file=sys.stderr)
                return 1
            asks = paused.session.pending_approvals
            for ask in asks:
                print(f"approval asked: {ask.get('title')} ({ask.action_request_id})")
            result = client.sessions.resolve_approvals(
                session_id, approval_responses=[accept(ask) for ask in asks]
            )
            print("outcome:", ", ".join(r["outcome"] for r in result.results))
            with client.sessions.resume_stream(session_id, result.stream_cursor) as events:
                for event in events:
                    print(event.delta or "", end="", flush=True)
            print()
            summary = events.summary
            print(f"finished: {summary.finish_reason if summary else None}", file=sys.stderr)
            return 0
    except GumloopError as error:
        print(f"{type(error).__name__} [{error.kind}]: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(
        main(
            sys.argv[1] if len(sys.argv) > 1 else "gumball",
            sys.argv[2] if len(sys.argv) > 2 else "Deploy the release [approval]",
        )
    )
