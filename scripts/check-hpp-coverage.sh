#!/usr/bin/env bash
# Checks that the C++ header wraps every function of the C header: each one declared in
# gumloop.h must be named as ::name in gumloop.hpp (called, or passed to a helper that calls it),
# so a C function added later without its C++ counterpart fails the tests.
#
#   scripts/check-hpp-coverage.sh [HEADER] [HPP]
set -euo pipefail

header="${1:-include/gumloop.h}"
hpp="${2:-include/gumloop.hpp}"
here="$(dirname "$0")"

names="$("$here/header-functions.sh" "$header")"
if [[ -z "$names" ]]; then
    echo "check-hpp-coverage.sh: no function declarations found in $header" >&2
    exit 1
fi
missing=()
while read -r name; do
    grep -qE "::$name([^A-Za-z0-9_]|$)" "$hpp" || missing+=("$name")
done <<<"$names"
if ((${#missing[@]} > 0)); then
    echo "check-hpp-coverage.sh: $hpp has no counterpart for: ${missing[*]}" >&2
    exit 1
fi
echo "$hpp wraps all $(wc -l <<<"$names") functions of $header"
