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
from typing import AbstractSet, Any, Dict, List, Optional, Tuple, Union

from ._errors import invalid_argument


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

    def model_dump(
        self,
        *,
        mode: str = "python",
        include: Optional[AbstractSet[str]] = None,
        exclude: Optional[AbstractSet[str]] = None,
        exclude_none: bool = False,
    ) -> Dict[str, Any]:
        """The answer as plain dicts and lists (a deep copy), as the official SDK's models give
        it: every field the server sent, under the server's names. ``include`` and ``exclude``
        choose top-level fields; ``exclude_none`` leaves out None values at every level.
        ``mode`` is accepted for the SDK's sake: the values are JSON's either way."""
        if mode not in ("python", "json"):
            raise invalid_argument("mode", f"`mode` must be 'python' or 'json', not {mode!r}")
        chosen = {
            key: value
            for key, value in self.items()
            if (include is None or key in include) and (exclude is None or key not in exclude)
        }
        dumped: Dict[str, Any] = _plain(chosen, exclude_none)
        return dumped

    def model_dump_json(
        self,
        *,
        indent: Optional[int] = None,
        include: Optional[AbstractSet[str]] = None,
        exclude: Optional[AbstractSet[str]] = None,
        exclude_none: bool = False,
    ) -> str:
        """:meth:`model_dump` as JSON text (compact unless ``indent`` is given), as the SDK's
        ``model_dump_json``."""
        dumped = self.model_dump(include=include, exclude=exclude, exclude_none=exclude_none)
        separators = (",", ":") if indent is None else None
        return json.dumps(dumped, indent=indent, separators=separators, ensure_ascii=False)

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
    """A session (docs/API.md §4). Every field of the server's object is kept."""

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


def _plain(value: Any, exclude_none: bool) -> Any:
    """``value`` with every dict and list copied as a plain one (iteratively: an answer may be
    nested as deep as the library accepts)."""
    root: List[Any] = [None]
    stack: List[Tuple[Any, Any, Any]] = [(value, root, 0)]
    while stack:
        item, parent, key = stack.pop()
        if isinstance(item, dict):
            copy: Dict[str, Any] = {}
            parent[key] = copy
            for k, v in item.items():
                if exclude_none and v is None:
                    continue
                copy[k] = None
                stack.append((v, copy, k))
        elif isinstance(item, list):
            items: List[Any] = [None] * len(item)
            parent[key] = items
            for index, v in enumerate(item):
                stack.append((v, items, index))
        else:
            parent[key] = item
    return root[0]


def _int_or_none(value: Any) -> Optional[int]:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class SessionResponse(GumloopObject):
    """The session envelope returned by create, retrieve, send, cancel, rename and wait:
    ``{"session": {...}, "queue_position": ...}``."""

    __slots__ = ()

    @property
    def session(self) -> Session:
        value = self.get("session")
        return value if isinstance(value, Session) else Session()

    @property
    def queue_position(self) -> Optional[int]:
        """Position in the agent's queue while the session is ``queued``, else None."""
        return _int_or_none(self.get("queue_position"))

    @property
    def recovered(self) -> bool:
        """True when a create's answer was lost and the library recovered the session it had
        created: the create was repeated with the same ``session_id``, the server answered 409
        ``session_already_exists``, and this envelope is the server's ``GET /sessions/{id}``
        answer for it. The library marks that with a top-level
        ``"_gumloop": {"recovered": true, "attempts": N}``, kept in this dict as is."""
        marker = self.get("_gumloop")
        return isinstance(marker, dict) and marker.get("recovered") is True

    @property
    def attempts(self) -> Optional[int]:
        """How many create requests a recovered create took (``_gumloop.attempts``), else None."""
        marker = self.get("_gumloop")
        return _int_or_none(marker.get("attempts")) if isinstance(marker, dict) else None


class SessionList(GumloopObject):
    """One page of ``list``: ``{"sessions": [...], "next_cursor": ...}``."""

    __slots__ = ()

    @property
    def sessions(self) -> List[Session]:
        return [s for s in self._get_list("sessions") if isinstance(s, Session)]

    @property
    def next_cursor(self) -> Optional[str]:
        """The cursor of the next page; None on the last page."""
        return self._get_str("next_cursor")


class MessageReceipt(GumloopObject):
    """The answer to a message sent with ``delivery="queued"``:
    ``{"message_id": ..., "status": ...}``."""

    __slots__ = ()

    @property
    def message_id(self) -> Optional[str]:
        return self._get_str("message_id")

    @property
    def status(self) -> Optional[str]:
        """``"accepted"`` when the server queued the message."""
        return self._get_str("status")


class StreamEvent(GumloopObject):
    """One event of a session stream (docs/API.md §5), with every field the server sent.

    The server's camelCase names are kept as keys (``event["finishReason"]``); the properties
    give them the official SDK's names (``type``, ``data``, ``stream_cursor``, ``final``,
    ``finish_reason``, ``error``, ``error_details``, ``error_message``, plus ``delta``). A
    property whose field is absent reads as None (``final`` as False).
    """

    __slots__ = ()

    @property
    def stream_cursor(self) -> Optional[str]:
        """The resume token of this event: pass it to ``resume_stream``."""
        return self._get_str("stream_cursor")

    @property
    def delta(self) -> Optional[str]:
        """The text of a ``text-delta`` event."""
        return self._get_str("delta")

    @property
    def final(self) -> bool:
        """True on the last event of a stream: the ``finish`` event with ``final: true``."""
        return self.get("final") is True

    @property
    def finish_reason(self) -> Optional[str]:
        """``finishReason`` of a ``finish`` event: ``stop``, ``error``, ``not_resumable``, ..."""
        return self._get_str("finishReason") or self._get_str("finish_reason")

    @property
    def error_message(self) -> Optional[str]:
        """``errorMessage`` of a failed run's ``finish`` event."""
        return self._get_str("errorMessage") or self._get_str("error_message")

    @property
    def interaction_id(self) -> Optional[str]:
        """The session ID, on ``interaction-ready`` events."""
        return self._get_str("interaction_id")

    @property
    def data(self) -> Any:
        """The event's ``data`` field, when it has one (the SDK's ``StreamEvent.data``)."""
        return self.get("data")

    @property
    def error(self) -> Optional[str]:
        """The event's error as text, as the SDK gives it: the ``message`` of a structured
        ``error`` object (whole in :attr:`error_details`), or the ``error`` string."""
        value = self.get("error")
        if isinstance(value, dict):
            message = value.get("message")
            return message if isinstance(message, str) and message else json.dumps(value)
        return value if isinstance(value, str) else None

    @property
    def error_details(self) -> Optional[GumloopObject]:
        """A structured ``error`` object of the event, whole (None otherwise)."""
        return self._get_object("error")

    # Last, so that `type` in the annotations above still means the builtin.
    @property
    def type(self) -> Optional[str]:
        """``interaction-ready``, ``text-start``, ``text-delta``, ``text-end``, ``finish``, ..."""
        return self._get_str("type")


class StreamSummary(GumloopObject):
    """What a stream delivered: ``{"session_id", "last_cursor", "finish_reason", "final",
    "events", "resumes"}``, plus ``"stopped": true`` when the stream was closed before its end.
    """

    __slots__ = ()

    @property
    def session_id(self) -> Optional[str]:
        return self._get_str("session_id")

    @property
    def last_cursor(self) -> Optional[str]:
        """The ``stream_cursor`` of the last event delivered: resume from it."""
        return self._get_str("last_cursor")

    @property
    def finish_reason(self) -> Optional[str]:
        """``stop``, ``error`` (the run failed), ``not_resumable`` (the run had ended before
        the stream could resume: retrieve the session), or None when the stream did not end."""
        return self._get_str("finish_reason")

    @property
    def final(self) -> bool:
        """Whether the final ``finish`` event arrived."""
        return self.get("final") is True

    @property
    def events(self) -> int:
        """How many events were delivered."""
        return _int_or_none(self.get("events")) or 0

    @property
    def resumes(self) -> int:
        """How many times the library resumed the stream after a drop or stall."""
        return _int_or_none(self.get("resumes")) or 0

    @property
    def stopped(self) -> bool:
        """True when the stream was closed (or abandoned) before its final event."""
        return self.get("stopped") is True


def loads(text: Union[str, bytes]) -> Any:
    """``json.loads`` with every object a :class:`GumloopObject`; JSON nested deeper than
    Python can parse raises ValueError (like any other unreadable JSON), not RecursionError."""
    try:
        return json.loads(text, object_hook=GumloopObject)
    except RecursionError:
        raise ValueError("the JSON is nested too deeply to be read") from None


def parse_object(text: str) -> GumloopObject:
    """Parses JSON text; every object in it becomes a :class:`GumloopObject`."""
    value = loads(text)
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


def parse_session_list(text: str) -> SessionList:
    """Parses a page of sessions, typing each item as a :class:`Session`."""
    page = SessionList(parse_object(text))
    sessions = page.get("sessions")
    if not isinstance(sessions, list):
        raise ValueError("the page has no `sessions` list")
    page["sessions"] = [Session(s) if isinstance(s, GumloopObject) else s for s in sessions]
    return page
