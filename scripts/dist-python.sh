#!/usr/bin/env bash
# The Python artifacts (make dist-python), into dist/python/:
#
#   gumloop_ffi-VERSION-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
#       the package with the release library ($DIST_LIB/libgumloop.so), retagged by auditwheel
#       repair, which also checks that the library needs nothing beyond the manylinux2014 set
#   gumloop_ffi-VERSION.tar.gz
#       the sdist: the package, the licenses and libgumloop's Rust sources in rust/ (Cargo.toml
#       as `cargo package` writes it, Cargo.lock, build.rs, src/), from which pip builds the
#       library with cargo where no wheel fits
#
# The package is staged in build/dist/python (the checkout's bindings/python, symlinks resolved).
set -euo pipefail
source "$(dirname "$0")/dist-common.sh"
: "${GLIBC_FLOOR:?}"

stage="$DIST_BUILD/python/gumloop-ffi"
fresh_dir "$stage"
fresh_dir "$DIST_DIR/python"
raw="$DIST_BUILD/python/raw"
fresh_dir "$raw"

# The package, without what earlier builds left in the checkout.
(cd "$root/bindings/python" && tar -ch --exclude=build --exclude='*.egg-info' --exclude=__pycache__ \
    --exclude='libgumloop.*' --exclude=rust .) | tar -x -C "$stage"

# The Rust sources, as cargo packages them (its Cargo.toml has no workspace and no path
# dependencies); only what building the library reads.
(cd "$root" && "${CARGO:-cargo}" package -p gumloop-ffi --no-verify --allow-dirty --quiet)
crate="$CARGO_TARGET_DIR/package/gumloop-ffi-$version.crate"
tar -xzf "$crate" -C "$DIST_BUILD/python"
unpacked="$DIST_BUILD/python/gumloop-ffi-$version"
mkdir -p "$stage/rust/benches"
cp "$unpacked/Cargo.toml" "$unpacked/Cargo.lock" "$unpacked/build.rs" "$stage/rust/"
cp -r "$unpacked/src" "$stage/rust/"
cp -r "$unpacked/benches/rust" "$stage/rust/benches/" # a [[bench]] the manifest names
copy_licenses "$stage/rust"
rm -rf "$unpacked"

(cd "$stage" && GUMLOOP_FFI_PREBUILT_LIBRARY="$DIST_LIB/libgumloop.so" \
    python -m build --no-isolation --sdist --wheel --outdir "$raw" . >"$raw/build.log" 2>&1) ||
    { cat "$raw/build.log"; exit 1; }
mv "$raw"/*.tar.gz "$DIST_DIR/python/"
# The manylinux tag of the glibc floor the release build was linked for (2.17: manylinux_2_17).
auditwheel repair --plat "manylinux_${GLIBC_FLOOR/./_}_x86_64" --wheel-dir "$DIST_DIR/python" "$raw"/*.whl
auditwheel show "$DIST_DIR/python"/*.whl
