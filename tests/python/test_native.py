"""The ctypes layer: declarations against the header, ownership of returned strings, the
callback keep-alive machinery, and finding and checking the library."""

from __future__ import annotations

import ctypes
import gc
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest

import gumloop_ffi
from gumloop_ffi import _callbacks, _native
from gumloop_ffi._native import EVENT_CALLBACK, SIGNATURES, native

from conftest import REPO_ROOT, Emulator

HEADER = REPO_ROOT / "include" / "gumloop.h"

# The ctypes type each C type of the header must be declared as.
C_TYPES: Dict[str, Any] = {
    "gumloop_code": ctypes.c_uint32,
    "int32_t": ctypes.c_int32,
    "bool": ctypes.c_bool,
    "size_t": ctypes.c_size_t,
    "void *": ctypes.c_void_p,
    "const char *": ctypes.c_char_p,
    # Owned strings come back through `char **`: kept as raw pointers, freed by the binding.
    "char **": ctypes.POINTER(ctypes.c_void_p),
    "char *": ctypes.c_void_p,
    "gumloop_client *": ctypes.c_void_p,
    "const gumloop_client *": ctypes.c_void_p,
    "gumloop_client **": ctypes.POINTER(ctypes.c_void_p),
    "gumloop_cancel_token *": ctypes.c_void_p,
    "const gumloop_cancel_token *": ctypes.c_void_p,
    "gumloop_event_callback": EVENT_CALLBACK,
    "int": ctypes.c_int,
    "uint64_t": ctypes.c_uint64,
    "uint64_t *": ctypes.POINTER(ctypes.c_uint64),
    "uint32_t *": ctypes.POINTER(ctypes.c_uint32),
    "gumloop_code *": ctypes.POINTER(ctypes.c_uint32),
    "const uint8_t *": ctypes.c_void_p,
    "gumloop_poller *": ctypes.c_void_p,
    "const gumloop_poller *": ctypes.c_void_p,
    "gumloop_poller **": ctypes.POINTER(ctypes.c_void_p),
    # Raw bytes out (kept as a raw pointer, copied, then freed with gumloop_bytes_free).
    "uint8_t *": ctypes.c_void_p,
    "uint8_t **": ctypes.POINTER(ctypes.c_void_p),
    "size_t *": ctypes.POINTER(ctypes.c_size_t),
}


def normalise(c_type: str) -> str:
    c_type = re.sub(r"\s+", " ", c_type.strip())
    c_type = re.sub(r"\s*\*", " *", c_type)
    return c_type.replace("* *", "**")


def header_functions() -> Dict[str, Tuple[str, List[str]]]:
    """name -> (return type, [argument types]) for every function the header declares."""
    text = re.sub(r"/\*.*?\*/", "", HEADER.read_text(encoding="utf-8"), flags=re.DOTALL)
    found: Dict[str, Tuple[str, List[str]]] = {}
    for match in re.finditer(r"^([A-Za-z_][\w\s\*]*?)\b(gumloop_\w+)\(([^;]*?)\);", text, re.M):
        returns, name, args = match.groups()
        arg_types = []
        if args.strip() != "void":
            for arg in args.split(","):
                arg_types.append(normalise(re.sub(r"\w+\s*$", "", arg.strip())))
        found[name] = (normalise(returns), arg_types)
    return found


def test_the_header_parses() -> None:
    functions = header_functions()
    assert "gumloop_client_new" in functions
    assert functions["gumloop_string_free"] == ("void", ["char *"])


def test_every_header_function_is_declared_exactly() -> None:
    functions = header_functions()
    assert sorted(SIGNATURES) == sorted(functions), "declarations differ from include/gumloop.h"
    for name, (returns, args) in functions.items():
        argtypes, restype = SIGNATURES[name]
        expected_return = None if returns == "void" else C_TYPES[returns]
        assert restype is expected_return, f"{name} returns {returns}"
        assert argtypes == [C_TYPES[a] for a in args], f"{name}({', '.join(args)})"
        function = native.functions[name]
        assert tuple(function.argtypes or ()) == tuple(argtypes)
        assert function.restype is restype


def test_every_returned_string_is_freed_once(
    monkeypatch: pytest.MonkeyPatch, emulator: Emulator
) -> None:
    real_free = native.functions["gumloop_string_free"]
    freed: List[int] = []

    def counting_free(pointer: int) -> None:
        assert isinstance(pointer, int) and pointer, "a raw, non-NULL pointer"
        freed.append(pointer)
        real_free(pointer)

    monkeypatch.setitem(native.functions, "gumloop_string_free", counting_free)

    client = gumloop_ffi.Client("gt_oauth_ada")
    assert freed == [], "a successful gumloop_client_new returns no string"
    client.sessions.create("agent_pro", session_id="sess_free")
    assert len(freed) == 1
    with pytest.raises(gumloop_ffi.ConflictError):
        client.sessions.create("agent_pro", session_id="sess_free")
    assert len(freed) == 2
    with pytest.raises(gumloop_ffi.InvalidArgumentError):
        client.sessions.create("agent_pro", name="")
    assert len(freed) == 3
    with pytest.raises(gumloop_ffi.InvalidArgumentError):
        gumloop_ffi.Client("gt_oauth_ada", base_url="ftp://x")
    assert len(freed) == 4
    gumloop_ffi.create_session("agent_pro", None, "gt_oauth_ada")
    assert len(freed) == 5
    client.close()
    assert len(freed) == 5, "closing a client returns no string"


# --- callbacks ------------------------------------------------------------------------------

COMPARE = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)


def libc_qsort() -> Any:
    libc = ctypes.CDLL(None)
    qsort = libc.qsort
    qsort.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_size_t, COMPARE]
    qsort.restype = None
    return qsort


def test_callbacks_stay_alive_for_the_whole_call() -> None:
    qsort = libc_qsort()
    values = (ctypes.c_int * 64)(*reversed(range(64)))
    calls = 0

    def compare(a: Optional[int], b: Optional[int]) -> int:
        nonlocal calls
        calls += 1
        if calls <= 3:
            gc.collect()  # the C function pointer must survive collections during the call
        x = ctypes.c_int.from_address(a or 0).value
        y = ctypes.c_int.from_address(b or 0).value
        return (x > y) - (x < y)

    with _callbacks.CallbackScope() as scope:
        assert _callbacks.active_scopes() >= 1
        pointer = scope.wrap(COMPARE, compare, stop=0)
        qsort(values, len(values), ctypes.sizeof(ctypes.c_int), pointer)
    assert list(values) == list(range(64))
    assert calls > 0
    assert _callbacks.active_scopes() == 0


def test_an_exception_in_a_callback_reaches_the_caller_after_the_call() -> None:
    qsort = libc_qsort()
    values = (ctypes.c_int * 16)(*range(16))
    calls = 0

    def compare(a: Optional[int], b: Optional[int]) -> int:
        nonlocal calls
        calls += 1
        raise KeyError("from the callback")

    with pytest.raises(KeyError, match="from the callback"):
        with _callbacks.CallbackScope() as scope:
            qsort(values, len(values), 4, scope.wrap(COMPARE, compare, stop=0))
    assert calls == 1, "after the first exception the callback is not run again"
    assert _callbacks.active_scopes() == 0


def test_pinned_callbacks_are_held_until_unpinned() -> None:
    pointer = COMPARE(lambda a, b: 0)
    _callbacks.pin("test", pointer)
    assert _callbacks._pinned["test"] is pointer
    _callbacks.unpin("test")
    assert "test" not in _callbacks._pinned


# --- finding and checking the library --------------------------------------------------------


def import_in_subprocess(env_library: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "import gumloop_ffi"],
        env={"GUMLOOP_FFI_LIBRARY": env_library, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_environment_variable_is_honoured_or_reported(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "libgumloop.so"
    result = import_in_subprocess(str(missing))
    assert result.returncode != 0
    assert "ImportError" in result.stderr
    assert f"GUMLOOP_FFI_LIBRARY={missing}" in result.stderr
    assert "no such file" in result.stderr

    not_a_library = tmp_path / "libgumloop.so"
    not_a_library.write_text("not ELF")
    result = import_in_subprocess(str(not_a_library))
    assert "cannot be loaded" in result.stderr

    result = import_in_subprocess(native.path)
    assert result.returncode == 0, result.stderr


def build_fake_library(tmp_path: Path, names: List[str], version: str) -> Path:
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler to build a stand-in library")
    stubs = "\n".join(f"void {name}(void) {{}}" for name in names if name != "gumloop_version_get")
    source = tmp_path / "fake.c"
    source.write_text(
        textwrap.dedent(
            f"""
            {stubs}
            const char *gumloop_version_get(void) {{ return "{version}"; }}
            """
        )
    )
    library = tmp_path / "libfake.so"
    subprocess.run(
        [compiler, "-shared", "-fPIC", "-o", str(library), str(source)], check=True, timeout=120
    )
    return library


def test_a_library_of_another_version_is_refused(tmp_path: Path) -> None:
    library = build_fake_library(tmp_path, list(SIGNATURES), "9.9.9")
    result = import_in_subprocess(str(library))
    assert result.returncode != 0
    assert "version mismatch" in result.stderr
    assert "'9.9.9'" in result.stderr and f"'{gumloop_ffi.LIBRARY_VERSION}'" in result.stderr


def test_a_library_missing_functions_is_refused(tmp_path: Path) -> None:
    library = build_fake_library(tmp_path, ["gumloop_version_get"], gumloop_ffi.LIBRARY_VERSION)
    result = import_in_subprocess(str(library))
    assert result.returncode != 0
    assert "lacks" in result.stderr and "gumloop_client_new" in result.stderr


def test_the_import_error_names_every_place_tried(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    places = [
        ("the copy bundled in gumloop_ffi", tmp_path / "bundled" / "libgumloop.so"),
        ("the repository's build", tmp_path / "release" / "libgumloop.so"),
        ("the repository's build", tmp_path / "debug" / "libgumloop.so"),
    ]
    monkeypatch.setattr(_native, "_candidates", lambda stack: places)
    with pytest.raises(ImportError) as caught:
        _native.load()
    for _label, path in places:
        assert str(path) in str(caught.value)
    assert "GUMLOOP_FFI_LIBRARY" in str(caught.value)


def test_check_version() -> None:
    _native.check_version("0.1.0", "lib", expected="0.1.0")
    with pytest.raises(ImportError, match="version mismatch"):
        _native.check_version("0.2.0", "lib", expected="0.1.0")
