"""``client.request``: a raw request for what the package does not wrap."""

from __future__ import annotations

import json
from typing import Any, Mapping, Optional, Sequence

from . import _args
from ._errors import invalid_argument
from ._requests import Call, Param, Request
from ._resource import parsed


def request_call(
    method: str, path: Sequence[str], query: Optional[Mapping[str, Any]], body: Any
) -> Call[Any]:
    """``send_request`` (see :meth:`Client.request`): the server's JSON answer, parsed."""
    verb = _args.text("method", method)
    if isinstance(path, str) or not isinstance(path, (list, tuple)):
        raise invalid_argument(
            "path",
            "`path` must be a list of segments, e.g. [\"sessions\", session_id]",
            wrong_type=True,
        )
    for segment in path:
        _args.text("path", segment)
    path_json = _args.json_bytes("path", list(path))
    mapping = _args.check_mapping("query", query)
    query_json = None if mapping is None else _args.json_bytes("query", dict(mapping))
    body_json = None if body is None else _args.json_bytes("body", body)
    params = (
        Param("method", verb),
        Param("path", path_json, True),
        Param("query", query_json, True),
        Param("body", body_json, True),
    )
    return Call(Request("send_request", params), lambda text: parsed(text, _json, "JSON"))


def _json(text: str) -> Any:
    """The answer's JSON; nested deeper than Python parses is a ValueError, not a
    RecursionError."""
    try:
        return json.loads(text) if text else None
    except RecursionError:
        raise ValueError("the JSON is nested too deeply to be read") from None

