#!/bin/sh
# bench.sh - speed figures for funnelsim: leads per second, events per
# second, wall time and peak memory, each the median of several runs.
#
# Usage: scripts/bench.sh [BINARY]   (RUNS=5 by default)
# The program measures itself (--timing): the figures cover the simulation,
# not the loading of the scenario or the printing of the result.
set -eu
bin=${1:-build/funnelsim}
runs=${RUNS:-5}
dir=$(dirname "$0")/..

# median FIELD FILE: the median of FIELD=value over the lines of FILE.
median() {
    sed -n "s/.*[ :]$1=\([0-9.]*\).*/\1/p" "$2" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# bench NAME ARGS...: runs `funnelsim ARGS --timing` $runs times.
bench() {
    name=$1; shift
    log=$(mktemp)
    i=0
    while [ "$i" -lt "$runs" ]; do
        "$bin" "$@" --timing --quiet --format json 2>>"$log" >/dev/null || {
            echo "bench: $name failed:" >&2; cat "$log" >&2; rm -f "$log"; exit 1; }
        i=$((i + 1))
    done
    printf '%-34s %12.0f %12.0f %9.3f %10.1f %10.0f\n' "$name" \
        "$(median leads_per_s "$log")" "$(median events_per_s "$log")" \
        "$(median wall_s "$log")" "$(echo "$(median peak_rss_kib "$log")" | awk '{ print $1 / 1024 }')" \
        "$(median leads_resolved "$log")"
    rm -f "$log"
}

printf 'funnelsim bench: median of %s runs on %s (%s cores)\n\n' "$runs" "$(uname -m)" "$(nproc 2>/dev/null || echo '?')"
printf '%-34s %12s %12s %9s %10s %10s\n' benchmark leads/s events/s wall_s peak_MiB leads
bench "1. erlang-a c=24, 5M leads, jobs 1" run "$dir/scenarios/bench-erlang-a.json" --jobs 1
# issue 4: a 40-point, 20-replication sweep of the baseline's web inflow from
# half to one and a half times the team's nominal capacity (target: under 10 s
# with --jobs 2 on two cores).
bench "2. sweep baseline 40x20, jobs 2" sweep "$dir/scenarios/article-baseline.json" \
    --vary 'channels[0].arrivals.per_week' --from 107.5 --to 472.5 --steps 40 --reps 20 --jobs 2
bench "3. sweep baseline 40x20, jobs 1" sweep "$dir/scenarios/article-baseline.json" \
    --vary 'channels[0].arrivals.per_week' --from 107.5 --to 472.5 --steps 40 --reps 20 --jobs 1
