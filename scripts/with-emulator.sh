#!/usr/bin/env bash
# Runs a command against a freshly started Gumloop emulator, then stops the emulator.
#
#   scripts/with-emulator.sh CMD [ARGS...]
#
# Builds nothing: it starts $GUMLOOP_EMULATOR_BIN, by default the debug build in Cargo's target
# directory (${CARGO_TARGET_DIR:-target} of this checkout; build it with `make emulator`), with extra arguments from GUMLOOP_EMULATOR_ARGS
# (split on whitespace), waits up to 20 s for its ready line, exports
#   GUMLOOP_BASE_URL         the api base URL   (http://127.0.0.1:P/api/v1)
#   GUMLOOP_STREAM_BASE_URL  the stream base URL (http://127.0.0.1:Q/api/v1)
#   GUMLOOP_EMULATOR_ADMIN   the admin base URL (http://127.0.0.1:P/_emulator)
#   GUMLOOP_EMULATOR_STORAGE the storage host's base URL (http://127.0.0.1:R), where
#                            artifact download URLs point
# runs the command, stops the emulator with SIGTERM and exits with the command's status.
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target_dir="${CARGO_TARGET_DIR:-target}"
[[ "$target_dir" == /* ]] || target_dir="$repo/$target_dir"
bin="${GUMLOOP_EMULATOR_BIN:-$target_dir/debug/gumloop-emulator}"
if [[ ! -x "$bin" ]]; then
    echo "with-emulator.sh: no emulator binary at '$bin' (build it with 'make emulator' or set GUMLOOP_EMULATOR_BIN)" >&2
    exit 127
fi

extra_args=()
if [[ -n "${GUMLOOP_EMULATOR_ARGS:-}" ]]; then
    read -r -a extra_args <<<"$GUMLOOP_EMULATOR_ARGS"
fi

ready_file="$(mktemp "${TMPDIR:-/tmp}/gumloop-emulator-ready.XXXXXX")"
emulator_pid=""

# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
    if [[ -n "$emulator_pid" ]] && kill -0 "$emulator_pid" 2>/dev/null; then
        kill -TERM "$emulator_pid" 2>/dev/null || true
        wait "$emulator_pid" 2>/dev/null || true
    fi
    rm -f "$ready_file"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$bin" ${extra_args[@]+"${extra_args[@]}"} >"$ready_file" &
emulator_pid=$!

ready=""
deadline=$((SECONDS + 20))
while :; do
    # `read` succeeds only once a whole line (with its newline) is there.
    if IFS= read -r ready <"$ready_file"; then
        break
    fi
    if ! kill -0 "$emulator_pid" 2>/dev/null; then
        status=0
        wait "$emulator_pid" || status=$?
        emulator_pid=""
        echo "with-emulator.sh: the emulator exited (status $status) before it was ready" >&2
        exit 1
    fi
    if ((SECONDS >= deadline)); then
        echo "with-emulator.sh: the emulator printed no ready line within 20 s" >&2
        exit 1
    fi
    sleep 0.05
done

field() {
    sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p" <<<"$ready"
}
GUMLOOP_BASE_URL="$(field api)"
GUMLOOP_STREAM_BASE_URL="$(field stream)"
GUMLOOP_EMULATOR_ADMIN="$(field admin)"
GUMLOOP_EMULATOR_STORAGE="$(field storage)"
if [[ -z "$GUMLOOP_BASE_URL" || -z "$GUMLOOP_STREAM_BASE_URL" || -z "$GUMLOOP_EMULATOR_ADMIN" || -z "$GUMLOOP_EMULATOR_STORAGE" ]]; then
    echo "with-emulator.sh: cannot read the ready line: $ready" >&2
    exit 1
fi
export GUMLOOP_BASE_URL GUMLOOP_STREAM_BASE_URL GUMLOOP_EMULATOR_ADMIN GUMLOOP_EMULATOR_STORAGE

status=0
"$@" || status=$?
exit "$status"
