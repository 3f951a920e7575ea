#!/usr/bin/env bash
# Groups findings by the assertion that failed: triage.sh TARGET_BINARY FILE...
# Runs each input once through the target and prints, per panic location, how many inputs hit
# it, the first line of its message and the smallest such input.
set -u
bin=$1
shift
for f in "$@"; do
    out=$("$bin" "$f" 2>&1)
    where=$(grep -m1 -o 'panicked at .*' <<<"$out" || echo "no panic (libFuzzer: $(grep -m1 -o 'ERROR: .*' <<<"$out"))")
    what=$(grep -m1 -A1 'panicked at' <<<"$out" | tail -n1 | cut -c1-200)
    printf '%s\t%s\t%s\t%s\n' "$where" "$(wc -c <"$f")" "$f" "$what"
done | sort -t$'\t' -k1,1 -k2,2n | awk -F'\t' '
    { if (!($1 in n)) { order[++m] = $1; ex[$1] = $3; msg[$1] = $4; size[$1] = $2 } n[$1]++ }
    END { for (i = 1; i <= m; i++) { k = order[i]
        printf "   %d input(s): %s\n      %s\n      smallest (%d bytes): %s\n", n[k], k, msg[k], size[k], ex[k] } }'
