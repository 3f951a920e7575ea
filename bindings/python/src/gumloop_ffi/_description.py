"""The library's description of itself (``gumloop_description_get``), read once at import: its
operations with their arguments and result kinds, its client options, its codes with their
groups and error stems, and the error document's fields.

It is the one source of these facts for this package: the error classes are chosen from its
code table (``_errors``), each operation's result kind from its operations, and the coverage
tests check every method, parameter and class against it.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List

from ._native import native

#: The whole description, as the library wrote it.
DESCRIPTION: Dict[str, Any] = json.loads(native.description())

#: Each operation by its name (the poller's), e.g. ``OPERATIONS["get_session"]["result"]``.
OPERATIONS: Dict[str, Dict[str, Any]] = {op["name"]: op for op in DESCRIPTION["operations"]}

#: Each client option by its name, with its type and default.
OPTIONS: Dict[str, Dict[str, Any]] = {opt["name"]: opt for opt in DESCRIPTION["options"]}

#: Every code: ``{"name", "code", "group", "error", "message"}``, GUMLOOP_OK first.
CODE_TABLE: List[Dict[str, Any]] = DESCRIPTION["codes"]

#: The code groups: ``{"name", "first", "last", "error"}``.
GROUPS: List[Dict[str, Any]] = DESCRIPTION["groups"]

#: The fields of every error document's ``error`` object, in order.
ERROR_FIELDS: List[str] = DESCRIPTION["error_fields"]


def returns_bytes(operation: str) -> bool:
    """Whether ``operation``'s result is bytes (taken with ``gumloop_poller_take_bytes``)."""
    found = OPERATIONS.get(operation)
    return found is not None and found.get("result") == "bytes"
