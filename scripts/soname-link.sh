#!/usr/bin/env bash
# Gives a built libgumloop.so the link its SONAME names, beside it in the same directory:
#
#   scripts/soname-link.sh DIR      e.g. target/debug
#
# build.rs sets the SONAME (libgumloop.so.0.MINOR before 1.0); a program linked with
# -L DIR -lgumloop records that name and looks for it at run time, so DIR needs
# DIR/libgumloop.so.0.MINOR -> libgumloop.so, as an installed library has. Prints the SONAME.
set -euo pipefail

dir="${1:?usage: $0 DIR}"
lib="$dir/libgumloop.so"
soname="$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]$/\1/p')"
if [[ -z "$soname" ]]; then
    echo "soname-link.sh: $lib has no SONAME" >&2
    exit 1
fi
ln -sfn libgumloop.so "$dir/$soname"
echo "$soname"
