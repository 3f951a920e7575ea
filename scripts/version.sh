#!/usr/bin/env bash
# Prints the project's version: the `version` of the [package] table of Cargo.toml, the one place
# it is set (every other copy is derived from it or checked against it by check-versions.sh).
#
#   scripts/version.sh [CARGO_TOML]
set -euo pipefail

manifest="${1:-$(dirname "$0")/../Cargo.toml}"
version="$(awk '/^\[/ { in_package = ($0 == "[package]") }
    in_package && /^version *= *"/ { sub(/^version *= *"/, ""); sub(/".*/, ""); print; exit }' "$manifest")"
[[ -n "$version" ]] || { echo "version.sh: no [package] version in $manifest" >&2; exit 1; }
echo "$version"
