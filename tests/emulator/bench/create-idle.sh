#!/usr/bin/env bash
# Measures requests/s of an idle-stub create with wrk; run it through
# scripts/with-emulator.sh (it reads GUMLOOP_BASE_URL). Used by `make bench-emulator`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
seconds="${BENCH_SECONDS:-5}"
connections="${BENCH_CONNECTIONS:-64}"
url="$GUMLOOP_BASE_URL/agents/agent_pro/sessions"
echo "wrk: POST $url, ${connections} connections, 2 threads, ${seconds}s"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$here/create-idle.lua" "$url"
