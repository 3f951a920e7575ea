#!/usr/bin/env bash
# The release build of libgumloop that `make install`, `make dist` and `make test-dist` share:
#
#   scripts/release-build.sh OUT_DIR
#
# Builds with cargo-zigbuild and Zig (the tools venv of mk/dist.mk, whose bin/ must be first on
# PATH) for $RELEASE_TARGET (x86_64-unknown-linux-gnu.2.17: Zig links against glibc 2.17's
# symbols, so the library loads on any glibc from 2.17 on), then puts into OUT_DIR:
#   libgumloop.so            the shared library, stripped (SONAME as build.rs sets it)
#   libgumloop.so.0.MINOR    the link its SONAME names (programs linked here look for it)
#   libgumloop.a             the static library, its debug sections stripped
#   native-static-libs.txt   the system libraries the static library needs, as rustc says
# and checks that the shared library needs no glibc symbol newer than $GLIBC_FLOOR. Cargo builds
# only what changed; the copies are refreshed only when the build is newer.
set -euo pipefail

out="${1:?usage: $0 OUT_DIR}"
: "${RELEASE_TARGET:?}" "${GLIBC_FLOOR:?}" "${CARGO_TARGET_DIR:?}"
root="$(cd "$(dirname "$0")/.." && pwd)"
triple="${RELEASE_TARGET%%.*}"
built="$CARGO_TARGET_DIR/$triple/release"
mkdir -p "$out"
log="$out/build.log"

# rustc prints the static library's needs only when it links; a fresh crate keeps the last list.
(cd "$root" && cargo-zigbuild rustc --release --locked -p gumloop-ffi --lib --target "$RELEASE_TARGET" \
    -- --print native-static-libs) >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
grep -E '^ *(Compiling|Finished|warning)' "$log" || true
libs="$(sed -n 's/^note: native-static-libs: //p' "$log")"
if [[ -n "$libs" ]]; then
    echo "$libs" >"$out/native-static-libs.txt"
elif [[ ! -s "$out/native-static-libs.txt" ]]; then
    if [[ -n "${RELEASE_BUILD_RELINKED:-}" ]]; then
        echo "release-build.sh: rustc printed no native-static-libs even after a relink (see $log)" >&2
        exit 1
    fi
    echo "release-build.sh: relinking gumloop-ffi to learn what the static library needs"
    (cd "$root" && cargo clean --release -p gumloop-ffi --target "$triple")
    RELEASE_BUILD_RELINKED=1 exec "$0" "$out"
fi

if [[ ! -e "$out/libgumloop.so" || "$built/libgumloop.so" -nt "$out/libgumloop.so" ]]; then
    strip --strip-unneeded -o "$out/libgumloop.so" "$built/libgumloop.so"
fi
if [[ ! -e "$out/libgumloop.a" || "$built/libgumloop.a" -nt "$out/libgumloop.a" ]]; then
    strip --strip-debug -o "$out/libgumloop.a" "$built/libgumloop.a"
fi
find "$out" -maxdepth 1 -name "libgumloop.so.*" -type l -delete # a link of an earlier version
"$root/scripts/soname-link.sh" "$out" >/dev/null

newest="$("$root/scripts/glibc-floor.sh" "$out/libgumloop.so")"
if [[ "$(printf '%s\n%s\n' "$newest" "$GLIBC_FLOOR" | sort -V | tail -n 1)" != "$GLIBC_FLOOR" ]]; then
    echo "release-build.sh: $out/libgumloop.so needs GLIBC_$newest, newer than the floor $GLIBC_FLOOR" >&2
    exit 1
fi
if readelf -S "$out/libgumloop.so" | grep -qE '\.(symtab|debug_)'; then
    echo "release-build.sh: $out/libgumloop.so is not stripped" >&2
    exit 1
fi
echo "release library: $out/libgumloop.so ($(stat -c %s "$out/libgumloop.so") bytes, needs glibc $newest)," \
    "$out/libgumloop.a ($(stat -c %s "$out/libgumloop.a") bytes)"
