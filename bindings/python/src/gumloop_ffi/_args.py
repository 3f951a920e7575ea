"""Checking and encoding the caller's arguments before they reach C.

ctypes would silently cut a string at an embedded NUL and cannot encode lone surrogates, so
every string is checked here; JSON is produced strictly (no NaN, no non-JSON types). Every
problem raises :class:`~gumloop_ffi.InvalidArgumentError` (or its TypeError flavour for a wrong
type) before anything is sent.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any, List, Mapping, Optional

from ._errors import invalid_argument


def type_name(value: object) -> str:
    return type(value).__name__


def text(param: str, value: object) -> bytes:
    """A required string argument, as UTF-8 bytes for a ``const char *``."""
    if not isinstance(value, str):
        raise invalid_argument(
            param, f"`{param}` must be a str, not {type_name(value)}", wrong_type=True
        )
    if "\x00" in value:
        raise invalid_argument(param, f"`{param}` must not contain a NUL character")
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise invalid_argument(
            param, f"`{param}` cannot be encoded as UTF-8 ({error.reason})"
        ) from None


def optional_text(param: str, value: object) -> Optional[bytes]:
    """An optional string argument: None stays None (NULL)."""
    return None if value is None else text(param, value)


def check_str(param: str, value: object) -> Optional[str]:
    """An optional string that goes into JSON: type-checked, returned as is."""
    if value is not None and not isinstance(value, str):
        raise invalid_argument(
            param, f"`{param}` must be a str or None, not {type_name(value)}", wrong_type=True
        )
    return value


def check_bool(param: str, value: object) -> Optional[bool]:
    if value is not None and not isinstance(value, bool):
        raise invalid_argument(
            param, f"`{param}` must be a bool or None, not {type_name(value)}", wrong_type=True
        )
    return value


def check_mapping(param: str, value: object) -> Optional[Mapping[str, Any]]:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise invalid_argument(
            param, f"`{param}` must be a mapping or None, not {type_name(value)}", wrong_type=True
        )
    for key in value:
        if not isinstance(key, str):
            raise invalid_argument(
                param, f"the keys of `{param}` must be str, not {type_name(key)}", wrong_type=True
            )
    return value


def check_path(param: str, value: object) -> Optional[str]:
    if value is None:
        return None
    if not isinstance(value, (str, os.PathLike)):
        raise invalid_argument(
            param,
            f"`{param}` must be a str or os.PathLike or None, not {type_name(value)}",
            wrong_type=True,
        )
    path = os.fspath(value)
    if not isinstance(path, str):
        raise invalid_argument(param, f"`{param}` must be a text path", wrong_type=True)
    return path


def check_positive_int(param: str, value: object) -> Optional[int]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid_argument(
            param, f"`{param}` must be an int or None, not {type_name(value)}", wrong_type=True
        )
    if value <= 0:
        raise invalid_argument(param, f"`{param}` must be positive, not {value}")
    return value


def check_int(param: str, value: object, *, minimum: int = 0) -> Optional[int]:
    """An optional whole number of at least ``minimum`` (a bool is refused)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid_argument(
            param, f"`{param}` must be an int or None, not {type_name(value)}", wrong_type=True
        )
    if value < minimum:
        raise invalid_argument(param, f"`{param}` must be at least {minimum}, not {value}")
    return value


def check_list(param: str, value: object) -> Optional[List[Any]]:
    """An optional list (or tuple), as a list."""
    if value is None:
        return None
    if not isinstance(value, (list, tuple)):
        raise invalid_argument(
            param, f"`{param}` must be a list or None, not {type_name(value)}", wrong_type=True
        )
    return list(value)


def seconds_to_ms(param: str, value: object) -> Optional[int]:
    """A duration in seconds (int or float), as whole milliseconds (at least 1)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise invalid_argument(
            param,
            f"`{param}` must be a number of seconds or None, not {type_name(value)}",
            wrong_type=True,
        )
    seconds = float(value)
    if not math.isfinite(seconds) or seconds <= 0:
        raise invalid_argument(param, f"`{param}` must be a positive number of seconds")
    return max(1, math.ceil(seconds * 1000))


def json_bytes(param: str, value: Any) -> bytes:
    """Strict JSON, as UTF-8 bytes."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode(
            "utf-8"
        )
    except TypeError as error:
        raise invalid_argument(
            param, f"`{param}` cannot be sent as JSON: {error}", wrong_type=True
        ) from None
    except UnicodeEncodeError as error:
        raise invalid_argument(
            param, f"`{param}` contains text that is not valid Unicode ({error.reason})"
        ) from None
    except ValueError as error:  # NaN or infinity, or a circular reference
        raise invalid_argument(param, f"`{param}` cannot be sent as JSON: {error}") from None
