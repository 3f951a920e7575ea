"""Finding, loading and declaring libgumloop.

Every function of ``include/gumloop.h`` that this package calls is declared in
:data:`SIGNATURES` with its ``argtypes`` and ``restype``: a handful, because every operation runs
by name through the poller (``_engine``). Handles are ``c_void_p``. Every ``char *`` the library hands over
(always through a ``char **out_json`` out-parameter) is received as a ``c_void_p`` so that ctypes
does not copy it into a ``bytes`` and lose the pointer; :meth:`Native.take_string` copies the text
and frees the pointer with ``gumloop_string_free``. The ``const char *`` results are static and
are declared ``c_char_p``.

The library is loaded with :class:`ctypes.CDLL`, which releases the GIL for the duration of every
foreign call; none of the functions declared here blocks.

Where the library is looked for, in order:

1. ``GUMLOOP_FFI_LIBRARY``: when set, only that file is tried (an explicit choice is honoured or
   reported, never silently replaced by another library);
2. the copy bundled in this package (``importlib.resources``);
3. for development from a checkout, Cargo's ``release`` then ``debug`` output: under
   ``CARGO_TARGET_DIR`` when it is set (a relative one is taken from the checkout), else under
   the checkout's ``target``.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.resources
import os
import sys
from ctypes import POINTER, c_char_p, c_int, c_size_t, c_uint32, c_uint64, c_void_p
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ._version import LIBRARY_VERSION

#: The environment variable that names the library file to load.
LIBRARY_ENV = "GUMLOOP_FFI_LIBRARY"

#: ``gumloop_code`` is a ``uint32_t``.
c_gumloop_code = c_uint32

#: ``char **``: an out-parameter receiving an owned string, kept as a raw pointer.
c_out_string = POINTER(c_void_p)

_CType = Any  # a ctypes type; typeshed has no public name that covers all of them

#: name -> (argtypes, restype) of every function of include/gumloop.h this package calls: the
#: library's lifetime, strings and codes, clients, and the poller through which every operation
#: runs by name (``gumloop_poller_start_call``). No operation has a declaration of its own here:
#: operations are data (the poller's names and ``args_json``). Opaque handles are ``c_void_p``.
SIGNATURES: Dict[str, Tuple[List[_CType], Optional[_CType]]] = {
    # const char *gumloop_version_get(void);  (static)
    "gumloop_version_get": ([], c_char_p),
    # const char *gumloop_code_get_name(gumloop_code code);  (static)
    "gumloop_code_get_name": ([c_gumloop_code], c_char_p),
    # const char *gumloop_code_get_message(gumloop_code code);  (static)
    "gumloop_code_get_message": ([c_gumloop_code], c_char_p),
    # gumloop_code gumloop_client_new(const char *options_json, gumloop_client **out_client,
    #                                 char **out_json);
    "gumloop_client_new": ([c_char_p, POINTER(c_void_p), c_out_string], c_gumloop_code),
    # void gumloop_client_free(gumloop_client *client);
    "gumloop_client_free": ([c_void_p], None),
    # void gumloop_bytes_free(uint8_t *data, size_t len);
    "gumloop_bytes_free": ([c_void_p, c_size_t], None),
    # void gumloop_string_free(char *s);
    "gumloop_string_free": ([c_void_p], None),
    # gumloop_code gumloop_poller_new(const char *options_json, gumloop_poller **out_poller,
    #     char **out_json);
    "gumloop_poller_new": ([c_char_p, POINTER(c_void_p), c_out_string], c_gumloop_code),
    # void gumloop_poller_free(gumloop_poller *poller);
    "gumloop_poller_free": ([c_void_p], None),
    # int gumloop_poller_get_fd(const gumloop_poller *poller);
    "gumloop_poller_get_fd": ([c_void_p], c_int),
    # gumloop_code gumloop_poller_start_call(gumloop_poller *poller, const gumloop_client *client,
    #     const char *operation, const char *args_json, const uint8_t *data, size_t data_len,
    #     uint64_t *out_call_id, char **out_json);
    "gumloop_poller_start_call": (
        [c_void_p, c_void_p, c_char_p, c_char_p, c_void_p, c_size_t, POINTER(c_uint64), c_out_string],
        c_gumloop_code,
    ),
    # gumloop_code gumloop_poller_cancel_call(gumloop_poller *poller, uint64_t call_id,
    #     char **out_json);
    "gumloop_poller_cancel_call": ([c_void_p, c_uint64, c_out_string], c_gumloop_code),
    # const char *gumloop_description_get(void);  (static)
    "gumloop_description_get": ([], c_char_p),
    # gumloop_code gumloop_poller_take_bytes(gumloop_poller *poller, uint64_t call_id,
    #     uint8_t **out_data, size_t *out_len, char **out_json);
    "gumloop_poller_take_bytes": (
        [c_void_p, c_uint64, POINTER(c_void_p), POINTER(c_size_t), c_out_string],
        c_gumloop_code,
    ),
    # gumloop_code gumloop_oauth_build_authorization_url(const char *params_json,
    #     char **out_json);
    "gumloop_oauth_build_authorization_url": ([c_char_p, c_out_string], c_gumloop_code),
    # gumloop_code gumloop_client_set_credentials(const gumloop_client *client,
    #     const char *credentials_json, char **out_json);
    "gumloop_client_set_credentials": ([c_void_p, c_char_p, c_out_string], c_gumloop_code),
    # gumloop_code gumloop_client_take_tokens(const gumloop_client *client, char **out_json);
    "gumloop_client_take_tokens": ([c_void_p, c_out_string], c_gumloop_code),
    # uint64_t gumloop_client_get_refresh_count(const gumloop_client *client);
    "gumloop_client_get_refresh_count": ([c_void_p], c_uint64),
    # gumloop_code gumloop_log_set_level(const char *level, char **out_json);
    "gumloop_log_set_level": ([c_char_p, c_out_string], c_gumloop_code),
    # gumloop_code gumloop_log_take(char **out_json);
    "gumloop_log_take": ([c_out_string], c_gumloop_code),
    # int gumloop_log_get_fd(void);
    "gumloop_log_get_fd": ([], c_int),
    # gumloop_code gumloop_poller_take_item(gumloop_poller *poller, uint64_t *out_call_id,
    #     uint32_t *out_kind, gumloop_code *out_code, char **out_json);
    "gumloop_poller_take_item": (
        [c_void_p, POINTER(c_uint64), POINTER(c_uint32), POINTER(c_gumloop_code), c_out_string],
        c_gumloop_code,
    ),
}

#: Functions of newer libraries, declared when the loaded library has them.
OPTIONAL_SIGNATURES: Dict[str, Tuple[List[_CType], Optional[_CType]]] = {
    # gumloop_code gumloop_poller_take_call_info(gumloop_poller *poller, uint64_t call_id,
    #     char **out_json);  (comes with per-call request options)
    "gumloop_poller_take_call_info": ([c_void_p, c_uint64, c_out_string], c_gumloop_code),
}

#: ``GUMLOOP_ITEM_NONE``, ``GUMLOOP_ITEM_EVENT``, ``GUMLOOP_ITEM_DONE``.
ITEM_NONE, ITEM_EVENT, ITEM_DONE = 0, 1, 2

#: ``GUMLOOP_OK``.
OK = 0


def library_file_name() -> str:
    """The shared library's file name on this platform."""
    if sys.platform == "darwin":
        return "libgumloop.dylib"
    if sys.platform == "win32":
        return "gumloop.dll"
    return "libgumloop.so"


def _bundled_candidate(stack: contextlib.ExitStack) -> Optional[Path]:
    """The library shipped inside this package, as a real file (extracted if need be)."""
    resource = importlib.resources.files(__package__ or "gumloop_ffi").joinpath(
        library_file_name()
    )
    if not resource.is_file():
        return None
    return Path(stack.enter_context(importlib.resources.as_file(resource)))


def cargo_target_dir(checkout: Path) -> Path:
    """Where Cargo puts what it builds from ``checkout``: ``CARGO_TARGET_DIR`` when it is set
    (relative to the checkout if relative), else the checkout's ``target``."""
    configured = os.environ.get("CARGO_TARGET_DIR")
    if not configured:
        return checkout / "target"
    return checkout / configured if not Path(configured).is_absolute() else Path(configured)


def _repository_candidates() -> List[Path]:
    """The release and debug builds of the checkout this file sits in, if any."""
    here = Path(__file__).resolve()
    for ancestor in here.parents:
        if (ancestor / "include" / "gumloop.h").is_file() and (ancestor / "Cargo.toml").is_file():
            target = cargo_target_dir(ancestor)
            return [
                target / "release" / library_file_name(),
                target / "debug" / library_file_name(),
            ]
    return []


class Native:
    """The loaded library: its declared functions, wrapped with Python types.

    Thread-safe: it holds no mutable state after construction.
    """

    def __init__(self, cdll: ctypes.CDLL, path: str) -> None:
        self.path = path
        #: The declared foreign functions by name (tests may wrap one to observe it).
        self.functions: Dict[str, Any] = {}
        missing = []
        for name, (argtypes, restype) in SIGNATURES.items():
            try:
                function = getattr(cdll, name)
            except AttributeError:
                missing.append(name)
                continue
            function.argtypes = argtypes
            function.restype = restype
            self.functions[name] = function
        for name, (argtypes, restype) in OPTIONAL_SIGNATURES.items():
            function = getattr(cdll, name, None)
            if function is not None:
                function.argtypes = argtypes
                function.restype = restype
                self.functions[name] = function
        if missing:
            raise ImportError(
                f"{path} lacks {', '.join(missing)}: it is not a libgumloop "
                f"{LIBRARY_VERSION}"
            )
        self.cdll = cdll

    def version(self) -> str:
        raw: Optional[bytes] = self.functions["gumloop_version_get"]()
        return (raw or b"").decode("utf-8", "replace")

    def code_name(self, code: int) -> str:
        raw: Optional[bytes] = self.functions["gumloop_code_get_name"](code)
        return (raw or b"").decode("utf-8", "replace")

    def code_message(self, code: int) -> str:
        raw: Optional[bytes] = self.functions["gumloop_code_get_message"](code)
        return (raw or b"").decode("utf-8", "replace")

    def take_string(self, pointer: Optional[int]) -> Optional[str]:
        """Copies an owned string out of the library and frees it; NULL gives None."""
        if not pointer:
            return None
        try:
            return ctypes.string_at(pointer).decode("utf-8", "replace")
        finally:
            self.functions["gumloop_string_free"](pointer)

    def call_json(self, name: str, *args: Any) -> Tuple[int, Optional[str]]:
        """Calls ``name(*args, &out_json)``: returns the code and the text of ``*out_json``.

        The string is freed before this returns, whatever happens.
        """
        out = c_void_p()
        try:
            code: int = self.functions[name](*args, ctypes.byref(out))
        finally:
            text = self.take_string(out.value)
        return code, text

    def client_new(self, options_json: bytes) -> Tuple[int, Optional[int], Optional[str]]:
        """``gumloop_client_new``: (code, handle or None, error document text or None)."""
        handle = c_void_p()
        code, text = self.call_json("gumloop_client_new", options_json, ctypes.byref(handle))
        return code, handle.value, text

    def client_free(self, handle: int) -> None:
        self.functions["gumloop_client_free"](handle)

    def description(self) -> str:
        """``gumloop_description_get()``: the library's description of its operations, options
        and codes, as JSON text."""
        raw: Optional[bytes] = self.functions["gumloop_description_get"]()
        return (raw or b"{}").decode("utf-8")

    def take_bytes(self, poller: int, call_id: int) -> Tuple[int, bytes, Optional[str]]:
        """``gumloop_poller_take_bytes``: (code, the bytes, the error document or None). The
        buffer is copied and freed with ``gumloop_bytes_free`` before this returns."""
        data = c_void_p()
        length = c_size_t()
        out = c_void_p()
        try:
            code: int = self.functions["gumloop_poller_take_bytes"](
                poller, c_uint64(call_id), ctypes.byref(data), ctypes.byref(length),
                ctypes.byref(out)
            )
        finally:
            text = self.take_string(out.value)
            content = b""
            if data.value:
                try:
                    content = ctypes.string_at(data.value, length.value)
                finally:
                    self.functions["gumloop_bytes_free"](data.value, length.value)
        return code, content, text


def _try_load(path: Path) -> Tuple[Optional[Native], str]:
    """Loads and declares the library at ``path``: (native, "") or (None, why not)."""
    if not path.is_file():
        return None, "no such file"
    try:
        cdll = ctypes.CDLL(str(path))
    except OSError as error:
        return None, f"cannot be loaded: {error}"
    try:
        return Native(cdll, str(path)), ""
    except ImportError as error:
        return None, str(error)


def check_version(found: str, path: str, expected: str = LIBRARY_VERSION) -> None:
    """Raises ImportError unless the loaded library is the version this package declares."""
    if found != expected:
        raise ImportError(
            f"libgumloop version mismatch: {path} is version {found!r}, but this gumloop_ffi "
            f"package was written for {expected!r}. Install the matching package, or point "
            f"{LIBRARY_ENV} at a libgumloop {expected}."
        )


def _candidates(stack: contextlib.ExitStack) -> Sequence[Tuple[str, Optional[Path]]]:
    explicit = os.environ.get(LIBRARY_ENV)
    if explicit:
        return [(f"{LIBRARY_ENV}={explicit}", Path(explicit))]
    places: List[Tuple[str, Optional[Path]]] = []
    try:
        bundled = _bundled_candidate(stack)
    except (OSError, ValueError, TypeError) as error:  # an unusual package loader
        places.append((f"the copy bundled in gumloop_ffi ({error})", None))
    else:
        places.append(("the copy bundled in gumloop_ffi", bundled))
    for path in _repository_candidates():
        places.append(("the repository's build", path))
    return places


def load() -> Native:
    """Finds and loads libgumloop, checks its version, or raises ImportError naming each place
    tried."""
    stack = contextlib.ExitStack()
    tried: List[str] = []
    for label, path in _candidates(stack):
        if path is None:
            tried.append(f"  {label}: not present")
            continue
        native, why = _try_load(path)
        if native is None:
            tried.append(f"  {label}: {path}: {why}")
            continue
        check_version(native.version(), native.path)
        # Keep any extracted file alive for the life of the process.
        _keep.append(stack)
        return native
    stack.close()
    raise ImportError(
        "cannot load libgumloop; tried:\n"
        + "\n".join(tried)
        + f"\nInstall the gumloop-ffi wheel, or set {LIBRARY_ENV} to the library's path."
    )


_keep: List[contextlib.ExitStack] = []

#: The process's libgumloop, loaded when the package is imported.
native: Native = load()
