#!/bin/sh
# bench-compare.sh - is a change slower?  Runs benchmarks 1 and 2 of
# bench.sh with an old and a new binary alternated ROUNDS times (old, new,
# old, new, ...), so that a machine that speeds up or slows down during the
# comparison affects both alike, and prints the median of the per-round
# ratios new/old of leads per second.  A ratio of 1 is no change; above 1,
# the new binary is faster.
#
# Usage: scripts/bench-compare.sh OLD_BINARY NEW_BINARY   (ROUNDS=10)
set -eu
[ $# -eq 2 ] || { echo "usage: scripts/bench-compare.sh OLD_BINARY NEW_BINARY" >&2; exit 2; }
old=$1 new=$2
rounds=${ROUNDS:-10}
sc=$(dirname "$0")/../scenarios
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# rate BIN SCENARIO: leads per second of one run.
rate() {
    "$1" run "$2" --jobs 1 --timing --quiet --format json 2>"$tmp/err" >/dev/null ||
        { echo "bench-compare: $1 run $2 failed:" >&2; cat "$tmp/err" >&2; exit 1; }
    sed -n 's/.*[ :]leads_per_s=\([0-9.]*\).*/\1/p' "$tmp/err"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf 'bench-compare: %s rounds, old %s, new %s\n' "$rounds" "$old" "$new"
for b in bench-erlang-a bench-funnel; do
    : >"$tmp/ratios"
    i=0
    while [ "$i" -lt "$rounds" ]; do
        o=$(rate "$old" "$sc/$b.json")
        n=$(rate "$new" "$sc/$b.json")
        echo "$o $n" | awk '{ printf "%.4f\n", $2 / $1 }' >>"$tmp/ratios"
        printf '  %-16s round %2d: old %.0f, new %.0f leads/s\n' "$b" "$((i + 1))" "$o" "$n"
        i=$((i + 1))
    done
    printf '%-16s median ratio new/old: %s\n' "$b" "$(median <"$tmp/ratios")"
done
