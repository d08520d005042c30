#!/bin/sh
# valgrind.sh - memcheck on a short `run` of every shipped scenario: no
# memory error, no definite or indirect leak, on two threads, with every
# output file written.
#
# Usage: scripts/valgrind.sh [BINARY]   (default build/funnelsim)
#
# Each scenario runs 2 replications on 2 threads (--jobs 2: the worker
# threads and the join are checked too) over a horizon cut to DAYS (30 by
# default; the warm-up to a quarter of it), which keeps the largest
# scenario to seconds under valgrind's ~50x slowdown while still
# reaching every event type.  `validate` of all of them runs once too.
# Exit status 1 when any run reports an error or fails.
set -eu
bin=${1:-build/funnelsim}
days=${DAYS:-30}
dir=$(dirname "$0")/..
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

vg() {
    valgrind --quiet --error-exitcode=1 --leak-check=full \
        --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
        --track-origins=yes "$@"
}

failed=0
n=0
for f in "$dir"/scenarios/*.json; do
    name=$(basename "$f" .json)
    n=$((n + 1))
    start=$(date +%s)
    if vg "$bin" run "$f" --quiet --reps 2 --jobs 2 --set horizon_days="$days" \
        --set warmup_days="$(awk "BEGIN { print $days / 4 }")" --format json \
        --out "$out/$name" >"$out/$name.stdout" 2>"$out/$name.log"; then
        echo "valgrind: $name: clean ($(($(date +%s) - start)) s)"
    else
        echo "valgrind: $name: FAILED" >&2
        cat "$out/$name.log" >&2
        failed=$((failed + 1))
    fi
done
if vg "$bin" validate "$dir"/scenarios/*.json >/dev/null 2>"$out/validate.log"; then
    echo "valgrind: validate: clean"
else
    echo "valgrind: validate: FAILED" >&2
    cat "$out/validate.log" >&2
    failed=$((failed + 1))
fi
echo "valgrind: $n scenarios run, $failed with findings"
[ "$failed" -eq 0 ]
