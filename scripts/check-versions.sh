#!/usr/bin/env bash
# Checks that every copy of the version agrees with Cargo.toml's, the one place it is set
# (`make check-versions`, part of `make test`):
#
#   scripts/check-versions.sh
#
# Each copy is listed below as FILE and the sed expression printing the version it holds. Copies
# not listed are derived when they are made: the Go module's version is its release tag; the npm
# platform packages' versions, the main package's optional dependencies on them and the CMake
# and pkg-config files are written by `make dist` / `make install` from Cargo.toml. A file of a binding that does not exist yet is
# skipped (its helper lists it here when it lands); a listed file that exists must hold a version.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
version="$("$root/scripts/version.sh")"

copies=(
    'include/gumloop.h|s/^#define GUMLOOP_VERSION_STRING "\(.*\)"$/\1/p'
    'cbindgen.toml|s/^#define GUMLOOP_VERSION_STRING "\(.*\)"$/\1/p'
    'bindings/go/gumloop.h|s/^#define GUMLOOP_VERSION_STRING "\(.*\)"$/\1/p'
    'bindings/python/src/gumloop_ffi/_version.py|s/^LIBRARY_VERSION = "\(.*\)"$/\1/p'
    'bindings/node/package.json|1,/"version"/s/^  "version": "\(.*\)",$/\1/p'
    'bindings/node/package-lock.json|1,/"version"/s/^  "version": "\(.*\)",$/\1/p'
)

bad=0
for copy in "${copies[@]}"; do
    file="${copy%%|*}"
    expression="${copy#*|}"
    [[ -f "$root/$file" ]] || continue
    found="$(sed -n "$expression" "$root/$file" | head -n 1)"
    if [[ "$found" != "$version" ]]; then
        echo "check-versions.sh: $file says '${found:-no version}', Cargo.toml says $version" >&2
        bad=1
    fi
done
# Cargo keeps the lock file's copy; a stale one means Cargo.lock was not committed after a bump.
lock="$(awk '/^name = "gumloop-ffi"$/ { getline; print; exit }' "$root/Cargo.lock" | sed 's/^version = "\(.*\)"$/\1/')"
[[ "$lock" == "$version" ]] || { echo "check-versions.sh: Cargo.lock says '$lock' for gumloop-ffi, Cargo.toml says $version" >&2; bad=1; }
((bad == 0)) || { echo "check-versions.sh: set the version in Cargo.toml and update the copies above" >&2; exit 1; }
echo "every copy of the version is $version (Cargo.toml)"
