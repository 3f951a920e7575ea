"""upload: upload a file to a session, attach it to a message and print the answer.

    pip install ./bindings/python
    GUMLOOP_ACCESS_TOKEN=... GUMLOOP_USER_ID=... python examples/upload.py [agent_id] [file]

Without a file argument it uploads a small generated report. The agent's answer, which refers
to the attached file, goes to standard output.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

from gumloop_ffi import Client, GumloopError


def main(agent_id: str, path: Optional[Path]) -> int:
    try:
        with Client() as client:
            session_id = client.sessions.create(agent_id).session.id
            if path is None:
                stored = client.sessions.upload_file(
                    session_id, "report.txt", b"Q3 revenue: 1.2M\n", media_type="text/plain"
                )
            else:
                stored = client.sessions.upload_file(session_id, None, path)
            print(f"uploaded {stored.file_name} ({stored.size} bytes)", file=sys.stderr)
            client.sessions.send(
                session_id,
                "Summarise the attached file",
                attachments=[{"file_name": stored.file_name}],
            )
            done = client.sessions.wait(session_id)
            answers = [m for m in done.session.messages if m.get("role") == "assistant"]
            print(answers[-1].get("content") if answers else "(no answer)")
            return 0 if done.session.state == "completed" else 1
    except GumloopError as error:
        print(f"{type(error).__name__} [{error.kind}]: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(
        main(
            sys.argv[1] if len(sys.argv) > 1 else "gumball",
            Path(sys.argv[2]) if len(sys.argv) > 2 else None,
        )
    )
