"""quickstart: create Gumloop agent sessions from Python with the gumloop_ffi package.

    pip install ./bindings/python
    GUMLOOP_ACCESS_TOKEN=... GUMLOOP_USER_ID=... python examples/quickstart.py [agent_id]

The client reads its credential, user ID and base URL from the environment
(GUMLOOP_ACCESS_TOKEN or GUMLOOP_API_KEY, GUMLOOP_USER_ID, GUMLOOP_BASE_URL); without
GUMLOOP_BASE_URL it talks to the real service.
"""

from __future__ import annotations

import sys

import gumloop_ffi
from gumloop_ffi import Client, GumloopError


def main(agent_id: str) -> int:
    print(f"gumloop_ffi {gumloop_ffi.__version__}, libgumloop {gumloop_ffi.library_version()}")
    try:
        with Client() as client:
            idle = client.sessions.create(agent_id)
            print(f"an idle session: {idle.session.id} ({idle.session.state})")

            working = client.sessions.create(
                agent_id, "Say hello in three words", metadata={"source": "quickstart.py"}
            )
            print(f"a working session: {working.session.id} ({working.session.state})")

            with client.sessions.stream(agent_id, "Stream a short greeting") as events:
                for event in events:
                    if event.type == "text-delta":
                        print(event.delta, end="", flush=True)
            summary = events.summary
            assert summary is not None
            print(f"\na streamed session: {summary.session_id} ({summary.finish_reason})")
    except GumloopError as error:
        print(f"failed: {type(error).__name__} [{error.kind}]: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "gumball"))
