"""Response objects: dicts with attribute access.

The choice: every JSON object of a response becomes a :class:`GumloopObject`, a ``dict``
subclass whose keys can also be read as attributes (``resp.session.state`` as well as
``resp["session"]["state"]``). It keeps every field the server sent, known or not, because the
server adds fields freely (the official SDK's models allow extra fields for the same reason),
and it is still a plain dict for ``json.dumps``, ``==``, ``**`` and pickling.

:class:`SessionResponse` and :class:`Session` add typed properties for the documented fields;
a documented field the server left out reads as ``None`` (or an empty list or dict), as in the
SDK's models. Any other key is read through ``__getattr__`` and raises ``AttributeError`` when
absent. A key that collides with a dict method (``items``, ``keys``, ``values``, ``get``,
``copy``, ...) must be read with ``obj["items"]``.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional


class GumloopObject(Dict[str, Any]):
    """A JSON object from the API: a dict whose keys are also attributes."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(
                f"{type(self).__name__} has no field {name!r}; fields: {sorted(self)}"
            ) from None

    def __dir__(self) -> List[str]:
        return sorted(set(super().__dir__()) | {k for k in self if k.isidentifier()})

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict.__repr__(self)})"

    def _get_str(self, key: str) -> Optional[str]:
        value = self.get(key)
        return value if isinstance(value, str) else None

    def _get_list(self, key: str) -> List[Any]:
        value = self.get(key)
        return value if isinstance(value, list) else []

    def _get_object(self, key: str) -> Optional[GumloopObject]:
        value = self.get(key)
        return value if isinstance(value, GumloopObject) else None


class Session(GumloopObject):
    """A session (API.md §2.0). Every field of the server's object is kept."""

    __slots__ = ()

    @property
    def id(self) -> str:
        return self._get_str("id") or ""

    @property
    def agent_id(self) -> str:
        return self._get_str("agent_id") or ""

    @property
    def name(self) -> Optional[str]:
        return self._get_str("name")

    @property
    def state(self) -> Optional[str]:
        """``idle``, ``queued``, ``processing``, ``approval_required``, ``completed`` or
        ``failed``."""
        return self._get_str("state")

    @property
    def messages(self) -> List[GumloopObject]:
        return self._get_list("messages")

    @property
    def created_at(self) -> Optional[str]:
        return self._get_str("created_at")

    @property
    def agent_name(self) -> Optional[str]:
        return self._get_str("agent_name")

    @property
    def creator(self) -> Optional[GumloopObject]:
        return self._get_object("creator")

    @property
    def usage(self) -> Optional[GumloopObject]:
        return self._get_object("usage")

    @property
    def pending_approvals(self) -> List[GumloopObject]:
        return self._get_list("pending_approvals")

    @property
    def incognito(self) -> bool:
        return self.get("incognito") is True

    # Last, so that `type` in the annotations above still means the builtin.
    @property
    def type(self) -> Optional[str]:
        """Where the session came from: ``api``, ``web``, ``slack``, ..."""
        return self._get_str("type")


class SessionResponse(GumloopObject):
    """The session envelope returned by create: ``{"session": {...}, "queue_position": ...}``."""

    __slots__ = ()

    @property
    def session(self) -> Session:
        value = self.get("session")
        return value if isinstance(value, Session) else Session()

    @property
    def queue_position(self) -> Optional[int]:
        """Position in the agent's queue while the session is ``queued``, else None."""
        value = self.get("queue_position")
        return value if isinstance(value, int) and not isinstance(value, bool) else None


def parse_object(text: str) -> GumloopObject:
    """Parses JSON text; every object in it becomes a :class:`GumloopObject`."""
    value = json.loads(text, object_hook=GumloopObject)
    if not isinstance(value, GumloopObject):
        raise ValueError("the server's answer is not a JSON object")
    return value


def parse_session_response(text: str) -> SessionResponse:
    """Parses a session envelope, typing its ``session`` member as a :class:`Session`."""
    response = SessionResponse(parse_object(text))
    session = response.get("session")
    if isinstance(session, GumloopObject):
        response["session"] = Session(session)
    return response
