#!/usr/bin/env bash
# Prints the functions include/gumloop.h declares, one name a line, sorted:
#
#   scripts/header-functions.sh [HEADER]
#
# A declaration starts at the beginning of a line (cbindgen writes them so; comments, macros and
# continuation lines do not) and names gumloop_<...> directly followed by its parameter list.
set -euo pipefail

header="${1:-include/gumloop.h}"
grep -E '^[A-Za-z]' "$header" | grep -oE '\bgumloop_[a-z0-9_]+\(' | tr -d '(' | sort -u
