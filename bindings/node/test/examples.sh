#!/bin/sh
# Runs the compiled Node examples (one per workflow) against the emulator started by
# scripts/with-emulator.sh, checking what each prints. $NODE_EXAMPLES is the directory they were
# compiled into (with node_modules/gumloop-ffi linked to the package).
set -eu
dir="${NODE_EXAMPLES:?set NODE_EXAMPLES to the compiled examples}"
out="$dir/out"
rm -rf "$out"
mkdir -p "$out"

# expect FILE TEXT: FILE contains TEXT, else show FILE and fail.
expect() {
    grep -qF -- "$2" "$1" || { echo "examples.sh: $(basename "$1") lacks: $2" >&2; cat "$1" >&2; exit 1; }
}

node "$dir/create_and_stream.js" agent_pro "[words:12] hello" >"$out/stream.txt"
expect "$out/stream.txt" "alpha bravo charlie"

node "$dir/upload_and_attach.js" agent_pro >"$out/upload.txt"
expect "$out/upload.txt" "Attached files: report.txt (17 bytes)"

node "$dir/approvals.js" agent_pro "[approval:2] deploy" >"$out/approvals.txt"
expect "$out/approvals.txt" "outcome: accepted, accepted"
expect "$out/approvals.txt" "Continuing after approvals"

node "$dir/queue.js" agent_pro "[slow:2000] research" >"$out/queue.txt"
expect "$out/queue.txt" "removed "
expect "$out/queue.txt" ": completed"

node "$dir/artifacts.js" agent_pro "[artifact:../report.txt:40] make it" "$out/files" >"$out/artifacts.txt"
expect "$out/artifacts.txt" "report.txt: 40 bytes"
test "$(wc -c <"$out/files/report.txt")" -eq 40
echo "node examples: 5 workflows passed"
