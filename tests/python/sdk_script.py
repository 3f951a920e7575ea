"""A script written for the official SDK, ``gumloop.Gumloop``: it creates a session, reads it
back until the run ends, dumps it, sends a follow-up, and streams a new session's run.

test_dropin.py runs it against the emulator with only its import line changed to
``from gumloop_ffi import Gumloop``. Nothing else here knows of gumloop_ffi.
"""

import json
import os
import time

from gumloop import Gumloop

client = Gumloop(
    api_key="gk_personal_ada",
    user_id="user_ada",
    base_url=os.environ["GUMLOOP_BASE_URL"],
    stream_base_url=os.environ["GUMLOOP_STREAM_BASE_URL"],
    timeout=30.0,
)

created = client.sessions.create("agent_pro", input="Summarise today's tickets")
session_id = created.session.id
print("created", session_id, created.session.state)

while True:
    current = client.sessions.retrieve(session_id)
    if current.session.state in ("completed", "failed", "idle"):
        break
    time.sleep(0.05)

dump = current.model_dump()
assert dump["session"]["id"] == session_id
print("state", dump["session"]["state"], "messages", len(dump["session"]["messages"]))
print("json", json.loads(current.model_dump_json())["session"]["id"] == session_id)

sent = client.sessions.send(session_id, input="And now in French")
print("sent", sent.session.id == session_id)

words = []
finish = None
for event in client.sessions.stream("agent_pro", input="[words:5] Write a haiku"):
    if event.type == "text-delta":
        words.append(event.model_dump().get("delta") or "")  # an extra field of the SDK's model
    if event.final:
        finish = event.finish_reason
    assert event.model_dump()["type"] == event.type
print("streamed", len("".join(words).split()), "words, finish", finish)
client.close()
