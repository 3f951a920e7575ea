"""stream: print an agent's answer word by word as it streams, with gumloop_ffi.

    pip install ./bindings/python
    GUMLOOP_ACCESS_TOKEN=... GUMLOOP_USER_ID=... python examples/stream.py [agent_id] [prompt]

The answer goes to standard output as it arrives, and nothing else does; how the stream ended
goes to standard error. Ctrl-C stops the stream (leaving the `with` block closes it); the run
goes on on the server, and the printed cursor resumes it with `sessions.resume_stream`.

The client reads its credential, user ID and base URLs from the environment
(GUMLOOP_ACCESS_TOKEN or GUMLOOP_API_KEY, GUMLOOP_USER_ID, GUMLOOP_BASE_URL,
GUMLOOP_STREAM_BASE_URL); without them it talks to the real service.
"""

from __future__ import annotations

import sys

from gumloop_ffi import Client, GumloopError


def main(agent_id: str, prompt: str) -> int:
    try:
        client = Client()
    except GumloopError as error:
        print(f"no client: {type(error).__name__} [{error.kind}]: {error}", file=sys.stderr)
        return 1
    with client, client.sessions.stream(agent_id, prompt) as events:
        try:
            for event in events:
                if event.type == "text-delta" and event.delta:
                    sys.stdout.write(event.delta)
                    sys.stdout.flush()
                elif event.final and event.finish_reason == "error":
                    print(f"\nthe run failed: {event.error_message}", file=sys.stderr)
        except KeyboardInterrupt:
            print(f"\ninterrupted; resume after cursor {events.last_cursor}", file=sys.stderr)
            return 130
        except GumloopError as error:
            print(f"\nfailed: {type(error).__name__} [{error.kind}]: {error}", file=sys.stderr)
            return 1
    print()
    summary = events.summary
    assert summary is not None  # set once the stream has ended
    print(
        f"session {summary.session_id}: {summary.finish_reason}, "
        f"{summary.events} events, {summary.resumes} resumes",
        file=sys.stderr,
    )
    return 0 if summary.finish_reason == "stop" else 1


if __name__ == "__main__":
    agent = sys.argv[1] if len(sys.argv) > 1 else "gumball"
    text = sys.argv[2] if len(sys.argv) > 2 else "Tell me a short story."
    sys.exit(main(agent, text))
