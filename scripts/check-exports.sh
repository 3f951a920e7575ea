#!/usr/bin/env bash
# Checks that a shared libgumloop exports exactly the functions its header declares: no symbol
# missing, none extra (nothing of the Rust core or its dependencies leaks out).
#
#   scripts/check-exports.sh LIBRARY [HEADER]
set -euo pipefail

lib="${1:?usage: $0 LIBRARY [HEADER]}"
header="${2:-include/gumloop.h}"
here="$(dirname "$0")"

declared="$(mktemp)"
exported="$(mktemp)"
trap 'rm -f "$declared" "$exported"' EXIT
"$here/header-functions.sh" "$header" >"$declared"
# Every defined dynamic symbol, whatever its kind (functions, data): all must be declared.
nm -D --defined-only "$lib" | awk '{ print $NF }' | sed 's/@.*//' | sort -u >"$exported"

if [[ ! -s "$declared" ]]; then
    echo "check-exports.sh: no function declarations found in $header" >&2
    exit 1
fi
if ! diff -u --label "declared in $header" --label "exported by $lib" "$declared" "$exported"; then
    echo "check-exports.sh: $lib does not export exactly the functions of $header" >&2
    exit 1
fi
# Each export is a function (type T), not data.
if nm -D --defined-only "$lib" | awk '$2 != "T" { found = 1; print } END { exit !found }'; then
    echo "check-exports.sh: $lib exports symbols that are not functions" >&2
    exit 1
fi
echo "$lib exports exactly the $(wc -l <"$declared") functions of $header"
