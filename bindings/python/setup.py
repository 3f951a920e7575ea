"""Build glue for the gumloop-ffi wheel.

Everything declarative lives in pyproject.toml. This file adds the two steps a pure-Python build
cannot express:

* ``build_py`` also puts libgumloop into the package, next to ``__init__.py``. It takes, in order:
  the file named by ``GUMLOOP_FFI_PREBUILT_LIBRARY`` (``make dist`` passes its release build);
  else it builds the library with ``cargo build --release --locked`` from the Rust sources an sdist
  carries in ``rust/``; else, in a checkout, from the repository root two levels up. Without
  cargo it stops with an error saying what to install. ``CARGO`` names the cargo executable
  (default ``cargo``).
* the wheel is marked as platform-specific. Its tag is ``py3-none-<platform>``: the library is
  native code, but it is loaded through ctypes, so it does not depend on the Python ABI.
  ``make dist`` then has auditwheel give it its manylinux tag.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Tuple

from setuptools import setup
from setuptools.command.bdist_wheel import bdist_wheel
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
PACKAGE = "gumloop_ffi"


def library_file_name() -> str:
    """The shared library's file name on this platform, as cargo names it."""
    if sys.platform == "darwin":
        return "libgumloop.dylib"
    if sys.platform == "win32":
        return "gumloop.dll"
    return "libgumloop.so"


def read_package_library_version() -> str:
    text = (HERE / "src" / PACKAGE / "_version.py").read_text(encoding="utf-8")
    match = re.search(r'^LIBRARY_VERSION = "([^"]+)"', text, re.MULTILINE)
    if match is None:
        raise SystemExit("src/gumloop_ffi/_version.py has no LIBRARY_VERSION")
    return match.group(1)


def read_cargo_version(cargo_toml: Path) -> str:
    """The `version` of the [package] table of Cargo.toml (a small reader: no TOML dependency)."""
    in_package = False
    for line in cargo_toml.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            in_package = stripped == "[package]"
            continue
        match = re.match(r'version\s*=\s*"([^"]+)"', stripped)
        if in_package and match:
            return match.group(1)
    raise SystemExit(f"no [package] version in {cargo_toml}")


def rust_sources() -> Path:
    """The directory whose Cargo.toml builds libgumloop: the sdist's ``rust/``, else the
    checkout's root."""
    for candidate in (HERE / "rust", REPO_ROOT):
        if (candidate / "Cargo.toml").is_file() and (candidate / "src" / "lib.rs").is_file():
            return candidate
    raise SystemExit(
        "gumloop-ffi: cannot build libgumloop: neither the sdist's rust/ directory nor a checkout "
        f"of the repository is at {HERE}. Install a gumloop-ffi wheel, build from the sdist or a "
        "checkout, or set GUMLOOP_FFI_PREBUILT_LIBRARY to a built libgumloop."
    )


def find_cargo() -> str:
    """The cargo executable, or a SystemExit saying what to install."""
    cargo = os.environ.get("CARGO", "cargo")
    found = shutil.which(cargo)
    if found is None:
        raise SystemExit(
            "gumloop-ffi: no prebuilt wheel fits this platform, so pip is building libgumloop from "
            f"its Rust sources, which needs Rust's cargo (1.82 or newer), and {cargo!r} is not on "
            "PATH. Install Rust (for example with rustup) and retry, or set "
            "GUMLOOP_FFI_PREBUILT_LIBRARY to the path of a libgumloop built for this platform."
        )
    return found


def build_library() -> Path:
    """Builds libgumloop (or takes the prebuilt one) and returns its path."""
    prebuilt = os.environ.get("GUMLOOP_FFI_PREBUILT_LIBRARY")
    if prebuilt:
        path = Path(prebuilt)
        if not path.is_file():
            raise SystemExit(f"GUMLOOP_FFI_PREBUILT_LIBRARY={prebuilt!r} is not a file")
        return path
    sources = rust_sources()
    expected = read_package_library_version()
    found = read_cargo_version(sources / "Cargo.toml")
    if found != expected:
        raise SystemExit(
            f"version mismatch: {sources / 'Cargo.toml'} says {found}, but the Python package "
            f"declares LIBRARY_VERSION = {expected!r} (src/gumloop_ffi/_version.py). "
            "Update the bindings for the new library, then the version."
        )
    command = [find_cargo(), "build", "--release", "--locked", "-p", "gumloop-ffi"]
    print("building libgumloop:", " ".join(command), flush=True)
    environment = dict(os.environ)
    if sources != REPO_ROOT:
        # An sdist build: the library goes into a wheel, so without its symbol tables (a
        # checkout's release build keeps cargo's own settings, shared with the other targets).
        environment.setdefault("CARGO_PROFILE_RELEASE_STRIP", "symbols")
    subprocess.run(command, cwd=sources, check=True, env=environment)
    target_dir = Path(os.environ.get("CARGO_TARGET_DIR", sources / "target"))
    if not target_dir.is_absolute():
        target_dir = sources / target_dir
    built = target_dir / "release" / library_file_name()
    if not built.is_file():
        raise SystemExit(f"cargo succeeded but {built} does not exist")
    return built


class BuildPyWithLibrary(build_py):
    """``build_py``, then libgumloop copied into the built package."""

    def run(self) -> None:
        super().run()
        library = build_library()
        destination = Path(self.build_lib) / PACKAGE / library_file_name()
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(library, destination)
        print(f"bundled {library} as {destination}", flush=True)


class PlatformWheel(bdist_wheel):
    """A wheel for this platform that any Python 3 can use (ctypes, no extension modules)."""

    def finalize_options(self) -> None:
        super().finalize_options()
        self.root_is_pure = False

    def get_tag(self) -> Tuple[str, str, str]:
        _python, _abi, platform = super().get_tag()
        return "py3", "none", platform


class BinaryDistribution(Distribution):
    """Tells setuptools the package carries native code, so it lands in platlib."""

    def has_ext_modules(self) -> bool:
        return True


setup(
    distclass=BinaryDistribution,
    cmdclass={"build_py": BuildPyWithLibrary, "bdist_wheel": PlatformWheel},
)
