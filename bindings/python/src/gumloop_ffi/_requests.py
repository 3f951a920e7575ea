"""Each method's arguments, checked once and encoded as one library operation.

Both clients build their calls here: :class:`~gumloop_ffi.Client` passes a request's parameters
to the blocking ``gumloop_client_<operation>`` function, :class:`~gumloop_ffi.AsyncClient`
passes its :meth:`Request.args_json` to ``gumloop_poller_start_call``. Every problem raises
:class:`~gumloop_ffi.InvalidArgumentError` before anything is sent.
"""

from __future__ import annotations

import json
from typing import (
    Any,
    Callable,
    Dict,
    Generic,
    Mapping,
    NamedTuple,
    Optional,
    Sequence,
    Tuple,
    TypeVar,
    Union,
)

from . import _args, _call_options, _tracing
from ._errors import invalid_argument

#: What ``input`` may be: text, or a list of content parts (objects or strings); or, as the
#: official SDK takes it, the whole request body (a mapping).
Input = Union[str, Sequence[Union[str, Mapping[str, Any]]], Mapping[str, Any]]


class Param(NamedTuple):
    """One parameter: its name (the C parameter's without ``_json``), its bytes (None: NULL),
    and whether they are JSON text."""

    name: str
    value: Optional[bytes]
    is_json: bool = False


class Request(NamedTuple):
    """One call of the library: the operation and its named arguments, the raw bytes of an
    operation that takes them (a file upload), and the call's own request options
    (``{"extra_headers": {...}}``) when it has any."""

    operation: str
    params: Tuple[Param, ...]
    data: Optional[bytes] = None
    options: Optional[bytes] = None

    def args_json(self) -> bytes:
        """The poller's ``args_json``: JSON parameters as written, text ones as JSON strings,
        and ``request_options``."""
        parts = []
        for param in self.params:
            if param.value is None:
                continue
            value = param.value if param.is_json else json.dumps(param.value.decode()).encode()
            parts.append(json.dumps(param.name).encode() + b":" + value)
        options = with_call_context(self.options)
        if options is not None:
            parts.append(b'"request_options":' + options)
        return b"{" + b",".join(parts) + b"}"


_T = TypeVar("_T")


class Call(Generic[_T]):
    """A request and how its answer is read: both clients run the request their own way and
    give its text to :attr:`parse` (which raises InvalidResponseError for an unusable one)."""

    __slots__ = ("request", "parse")

    def __init__(self, request: Request, parse: Callable[[Optional[str]], _T]) -> None:
        self.request = request
        self.parse = parse


def split_input(input: object) -> Tuple[object, Mapping[str, Any]]:
    """``input`` and the request body given in its place: the official SDK's methods take the
    whole body (a mapping) where this package takes ``input``, so a mapping there is that body,
    whose fields the keyword arguments then override."""
    if isinstance(input, Mapping):
        return None, _args.check_mapping("request", input) or {}
    return input, {}


def check_input(input: object) -> Optional[Any]:
    """``input`` as it goes into the body: text, a list of parts, or None (not sent)."""
    if input is None:
        return None
    if not isinstance(input, (str, list, tuple)):
        raise invalid_argument(
            "input",
            f"`input` must be a str or a list of content parts, not {_args.type_name(input)}",
            wrong_type=True,
        )
    return input if isinstance(input, str) else list(input)


def with_call_context(options: Optional[bytes]) -> Optional[bytes]:
    """``options`` (the call's own ``request_options``) with what the context where the call
    starts adds: a :func:`~gumloop_ffi.call_options` block's time limit and headers, then the
    current OpenTelemetry span's trace headers (see :mod:`._tracing`). The call's own headers
    win over the block's, and both over the span's."""
    block = _call_options.current()
    trace = _tracing.current_headers()
    if not block and not trace:
        return options
    own: Dict[str, Any] = json.loads(options) if options is not None else {}
    headers: Dict[str, str] = dict(trace)
    for layer in (block.get("extra_headers") or {}, own.get("extra_headers") or {}):
        named = {name.lower() for name in layer}
        headers = {n: v for n, v in headers.items() if n.lower() not in named}
        headers.update(layer)
    merged: Dict[str, Any] = {**block, **own}
    if headers:
        merged["extra_headers"] = headers
    return json.dumps(merged).encode()


def request_options(extra: Mapping[str, Any]) -> Optional[bytes]:
    """The call's ``request_options`` from ``extra_headers=`` (the official SDK's ``create``
    takes them per call), or None; never sent as a field of the body."""
    headers = _args.check_mapping("extra_headers", extra.get("extra_headers"))
    if headers is None:
        return None
    return _args.json_bytes("extra_headers", {"extra_headers": dict(headers)})


def body(fields: Mapping[str, Any], extra: Mapping[str, Any], request: Mapping[str, Any] = {}) -> bytes:
    """A request body of ``request`` (a whole body given in place of ``input``), then
    ``fields``, then ``extra``, leaving out every None; ``extra_headers`` is not a field."""
    extra = {key: value for key, value in extra.items() if key != "extra_headers"}
    result: Dict[str, Any] = {}
    for source in (request, fields, extra):
        for key, value in source.items():
            if value is not None:
                result[key] = value
    return _args.json_bytes("body", result)


def refuse_on_event(extra: Mapping[str, Any]) -> None:
    if "on_event" in extra:
        raise invalid_argument(
            "on_event",
            "streaming calls take no `on_event` callback: they return an event stream; "
            "iterate it (`for event in client.sessions.stream(...)`)",
            wrong_type=True,
        )


def create(
    operation: str,
    agent_id: str,
    input: Optional[Input],
    session_id: Optional[str],
    name: Optional[str],
    metadata: Optional[Mapping[str, Any]],
    incognito: Optional[bool],
    extra: Mapping[str, Any],
) -> Request:
    """``create_session`` or ``stream_session``."""
    agent = _args.text("agent_id", agent_id)
    refuse_on_event(extra)
    text_input, request = split_input(input)
    mapping = _args.check_mapping("metadata", metadata)
    payload = body(
        {
            "input": check_input(text_input),
            "session_id": _args.check_str("session_id", session_id),
            "name": _args.check_str("name", name),
            "metadata": None if mapping is None else dict(mapping),
            "incognito": _args.check_bool("incognito", incognito),
        },
        extra,
        request,
    )
    params = (Param("agent_id", agent), Param("body", payload, True))
    return Request(operation, params, options=request_options(extra))


def on_session(operation: str, session_id: str) -> Request:
    """``get_session`` or ``cancel_session``."""
    return Request(operation, (Param("session_id", _args.text("session_id", session_id)),))


def list_query(
    page_size: Optional[int],
    cursor: Optional[str],
    search: Optional[str],
    sort_order: Optional[str],
    type_: Optional[str],
    state: Optional[str],
    creator_user_id: Optional[str],
    trigger_id: Optional[str],
    extra: Mapping[str, Any],
) -> Dict[str, Any]:
    query: Dict[str, Any] = {}
    size = _args.check_int("page_size", page_size, minimum=1)
    if size is not None:
        query["page_size"] = size
    for key, value in (
        ("cursor", cursor),
        ("search", search),
        ("sort_order", sort_order),
        ("type", type_),
        ("state", state),
        ("creator_user_id", creator_user_id),
        ("trigger_id", trigger_id),
    ):
        if _args.check_str(key, value) is not None:
            query[key] = value
    for key, value in extra.items():
        if value is not None:
            query[key] = value
    return query


def list_page(agent: bytes, query: Dict[str, Any]) -> Request:
    payload = _args.json_bytes("query", query) if query else None
    return Request("list_sessions", (Param("agent_id", agent), Param("query", payload, True)))


def send(
    session_id: str,
    input: Optional[Input],
    delivery: Optional[str],
    idempotency_key: Optional[str],
    attachments: Optional[Sequence[Mapping[str, Any]]],
    extra: Mapping[str, Any],
) -> Request:
    sid = _args.text("session_id", session_id)
    text_input, request = split_input(input)
    payload = body(
        {
            "input": check_input(text_input),
            "delivery": _args.check_str("delivery", delivery),
            "idempotency_key": _args.check_str("idempotency_key", idempotency_key),
            "attachments": _args.check_list("attachments", attachments),
        },
        extra,
        request,
    )
    params = (Param("session_id", sid), Param("body", payload, True))
    return Request("send_message", params, options=request_options(extra))


def rename(session_id: str, name: str) -> Request:
    sid = _args.text("session_id", session_id)
    new_name = _args.text("name", name)
    return Request("rename_session", (Param("session_id", sid), Param("name", new_name)))


def wait(
    session_id: str,
    timeout: Optional[float],
    poll_interval: Optional[float],
    max_poll_interval: Optional[float],
) -> Request:
    sid = _args.text("session_id", session_id)
    options: Dict[str, int] = {}
    for key, param, seconds in (
        ("timeout_ms", "timeout", timeout),
        ("poll_interval_ms", "poll_interval", poll_interval),
        ("max_poll_interval_ms", "max_poll_interval", max_poll_interval),
    ):
        ms = _args.seconds_to_ms(param, seconds)
        if ms is not None:
            options[key] = ms
    payload = _args.json_bytes("options", options) if options else None
    return Request("wait_session", (Param("session_id", sid), Param("options", payload, True)))


def stream_message(
    session_id: str,
    input: Optional[Input],
    attachments: Optional[Sequence[Mapping[str, Any]]],
    approval_responses: Optional[Sequence[Mapping[str, Any]]],
    extra: Mapping[str, Any],
) -> Request:
    refuse_on_event(extra)
    sid = _args.text("session_id", session_id)
    text_input, request = split_input(input)
    payload = body(
        {
            "input": check_input(text_input),
            "attachments": _args.check_list("attachments", attachments),
            "approval_responses": _args.check_list("approval_responses", approval_responses),
        },
        extra,
        request,
    )
    params = (Param("session_id", sid), Param("body", payload, True))
    return Request("stream_message", params, options=request_options(extra))


def resume_stream(session_id: str, last_cursor: str) -> Request:
    sid = _args.text("session_id", session_id)
    cursor = _args.text("last_cursor", last_cursor)
    return Request("resume_stream", (Param("session_id", sid), Param("cursor", cursor)))
