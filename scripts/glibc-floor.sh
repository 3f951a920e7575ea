#!/usr/bin/env bash
# Prints the newest glibc symbol version an ELF file needs (e.g. 2.17): the oldest glibc it loads on.
#
#   scripts/glibc-floor.sh FILE
set -euo pipefail

file="${1:?usage: $0 FILE}"
newest="$(objdump -T "$file" | grep -oE 'GLIBC_[0-9]+(\.[0-9]+)*' | sed 's/^GLIBC_//' | sort -uV | tail -n 1)"
[[ -n "$newest" ]] || { echo "glibc-floor.sh: $file needs no versioned glibc symbol" >&2; exit 1; }
echo "$newest"
