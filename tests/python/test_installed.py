"""The suite runs against the installed wheel, not the source tree."""

from __future__ import annotations

import importlib.metadata
import os
import re
import sysconfig
from pathlib import Path

import gumloop_ffi
from gumloop_ffi._native import cargo_target_dir, library_file_name

from conftest import REPO_ROOT

PACKAGE_DIR = Path(gumloop_ffi.__file__).resolve().parent


def test_the_package_comes_from_site_packages() -> None:
    site_dirs = {Path(sysconfig.get_paths()[key]).resolve() for key in ("platlib", "purelib")}
    assert any(PACKAGE_DIR.parent == site for site in site_dirs), PACKAGE_DIR
    assert "site-packages" in PACKAGE_DIR.parts
    assert REPO_ROOT / "bindings" not in PACKAGE_DIR.parents


def test_the_bundled_library_is_the_one_loaded() -> None:
    assert "GUMLOOP_FFI_LIBRARY" not in os.environ
    bundled = PACKAGE_DIR / library_file_name()
    assert bundled.is_file()
    assert Path(gumloop_ffi.library_path()).resolve() == bundled


def test_the_bundled_library_is_this_checkouts_release_build() -> None:
    built = cargo_target_dir(REPO_ROOT) / "release" / library_file_name()
    bundled = PACKAGE_DIR / library_file_name()
    assert built.read_bytes() == bundled.read_bytes(), "reinstall: the wheel is older than the build"


def test_the_wheel_is_platform_specific_and_typed() -> None:
    distribution = importlib.metadata.distribution("gumloop-ffi")
    wheel = distribution.read_text("WHEEL") or ""
    assert "Root-Is-Purelib: false" in wheel
    tags = re.findall(r"^Tag: (\S+)$", wheel, re.M)
    assert tags and all(t.startswith("py3-none-") and not t.endswith("-any") for t in tags), tags
    assert (PACKAGE_DIR / "py.typed").is_file()


def test_versions_agree() -> None:
    cargo = (REPO_ROOT / "Cargo.toml").read_text(encoding="utf-8")
    package_table = cargo[cargo.index("[package]") :]
    match = re.search(r'^version\s*=\s*"([^"]+)"', package_table, re.M)
    assert match is not None
    assert gumloop_ffi.library_version() == gumloop_ffi.LIBRARY_VERSION == match.group(1)
    assert importlib.metadata.version("gumloop-ffi") == gumloop_ffi.__version__
