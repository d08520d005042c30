#!/bin/sh
# bench.sh - speed figures for funnelsim: leads per second, events per
# second, wall time and peak memory, each the median of several runs.
#
# Usage: scripts/bench.sh [BINARY]   (RUNS=5 by default)
#
# The program measures itself (--timing): the figures cover the simulation,
# not the loading of the scenario or the printing of the result.  "Leads"
# are the leads handed to sales and resolved; per second of wall time, which
# with --jobs 1 is per second of one core.  Close other work first: on a
# shared machine the figures move by 20% or more.
set -eu
bin=${1:-build/funnelsim}
runs=${RUNS:-5}
dir=$(dirname "$0")/..
sc=$dir/scenarios
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# median FIELD: the median of FIELD=value over the timing lines in $log.
median() {
    sed -n "s/.*[ :]$1=\([0-9.]*\).*/\1/p" "$log" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# measure ARGS...: runs `funnelsim ARGS --timing` $runs times into $log.
measure() {
    : >"$log"
    i=0
    while [ "$i" -lt "$runs" ]; do
        if ! "$bin" "$@" --timing --quiet --format json 2>>"$log" >/dev/null; then
            echo "bench: funnelsim $* failed:" >&2
            cat "$log" >&2
            exit 1
        fi
        i=$((i + 1))
    done
}

row() {
    printf '%-40s %11.0f %11.0f %8.2f %9.1f %11.0f\n' "$1" \
        "$(median leads_per_s)" "$(median events_per_s)" "$(median wall_s)" \
        "$(median peak_rss_kib | awk '{ print $1 / 1024 }')" "$(median leads_resolved)"
}

printf 'funnelsim bench: median of %s runs, %s, %s cores\n\n' "$runs" "$(uname -m)" \
    "$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')"
printf '%-40s %11s %11s %8s %9s %11s\n' benchmark leads/s events/s wall_s peak_MiB leads

measure run "$sc/bench-erlang-a.json" --jobs 1
row "1. M/M/24+M, 5.2M leads, jobs 1"

measure run "$sc/bench-funnel.json" --jobs 1
row "2. article funnel, all levers, jobs 1"

# A 40-point, 20-replication sweep of the baseline's web inflow, from half to
# one and a half times the team's nominal capacity.
sweep="sweep $sc/article-baseline.json --vary channels[0].arrivals.per_week
       --from 107.5 --to 472.5 --steps 40 --reps 20"
# shellcheck disable=SC2086
measure $sweep --jobs 2
row "3. sweep 40 x 20, jobs 2"
wall2=$(median wall_s)
# shellcheck disable=SC2086
measure $sweep --jobs 1
row "3. sweep 40 x 20, jobs 1"
wall1=$(median wall_s)
printf '%-40s %11s\n' "   parallel scaling (jobs 1 / jobs 2)" \
    "$(awk -v a="$wall1" -v b="$wall2" 'BEGIN { printf "%.2fx", a / b }')"

# Memory under overload: the same flood for the full horizon and for half
# of it; the difference in peak memory over the difference in waiting
# leads is the cost of one waiting lead.
measure run "$sc/bench-overload.json" --jobs 1
row "4. overload, 1M leads, jobs 1"
rss_full=$(median peak_rss_kib)
wait_full=$("$bin" run "$sc/bench-overload.json" --jobs 1 --quiet --format csv |
    awk -F, '$1 == "unresolved" { print $2 }')
measure run "$sc/bench-overload.json" --jobs 1 --set horizon_days=175
rss_half=$(median peak_rss_kib)
wait_half=$("$bin" run "$sc/bench-overload.json" --jobs 1 --quiet --format csv --set horizon_days=175 |
    awk -F, '$1 == "unresolved" { print $2 }')
awk -v r1="$rss_full" -v r2="$rss_half" -v w1="$wait_full" -v w2="$wait_half" 'BEGIN {
    printf "   %.0f leads waiting at the end: peak %.1f MiB, %.1f bytes per waiting lead\n",
           w1, r1 / 1024, (r1 - r2) * 1024 / (w1 - w2) }'

# The lead log (run --leads): the whole command, with and without it, on
# benchmark 2 (2.5 million rows, 290 MB), wall and CPU seconds (user +
# system: the log's cost is mostly writing), medians of $runs.  The target:
# the log costs under half a run's time when written, nothing when not.
leads=$(mktemp -d)
trap 'rm -f "$log"; rm -rf "$leads"' EXIT
# clock ARGS...: "wall cpu" seconds of one `funnelsim ARGS`.
clock() {
    /usr/bin/env time -f '%e %U %S' -o "$leads/time" "$bin" "$@" >/dev/null 2>&1 || {
        echo "bench: funnelsim $* failed" >&2
        exit 1
    }
    awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$leads/time"
}
: >"$leads/plain"
: >"$leads/logged"
i=0
while [ "$i" -lt "$runs" ]; do
    clock run "$sc/bench-funnel.json" --jobs 1 --quiet --format json >>"$leads/plain"
    clock run "$sc/bench-funnel.json" --jobs 1 --quiet --format json \
        --leads "$leads/leads.csv" >>"$leads/logged"
    i=$((i + 1))
done
med() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
pw=$(cut -d' ' -f1 "$leads/plain" | med)
pc=$(cut -d' ' -f2 "$leads/plain" | med)
lw=$(cut -d' ' -f1 "$leads/logged" | med)
lc=$(cut -d' ' -f2 "$leads/logged" | med)
rows=$(($(wc -l <"$leads/leads.csv") - 1))
awk -v pw="$pw" -v pc="$pc" -v lw="$lw" -v lc="$lc" -v rows="$rows" 'BEGIN {
    printf "5. lead log on benchmark 2, jobs 1: %d rows; without: wall %.2f s, cpu %.2f s; with --leads: wall %.2f s, cpu %.2f s\n", rows, pw, pc, lw, lc
    printf "   the log costs %+.0f%% wall, %+.0f%% cpu (target: under +50%%)\n", (lw / pw - 1) * 100, (lc / pc - 1) * 100 }'

# Time-varying rates: bench-time-varying.json (benchmark 2 with weekday and
# hour profiles and eight campaigns) against bench-funnel.json, one point
# each through `sweep` (`run` would also simulate each campaign's
# counterfactual for its weeks to recover), CPU nanoseconds (user + system)
# per resolved lead, medians of $runs.  The target: within 10% of the
# steady funnel.
# ns_per_lead SCENARIO: one run's CPU ns per resolved lead.
ns_per_lead() {
    /usr/bin/env time -f '%U %S' -o "$leads/time" "$bin" sweep "$1" --vary seed --from 1 \
        --to 1 --steps 1 --jobs 1 --quiet --format json --timing >/dev/null 2>"$leads/err" || {
        echo "bench: funnelsim sweep $1 failed" >&2
        cat "$leads/err" >&2
        exit 1
    }
    n=$(sed -n 's/.*leads_resolved=\([0-9]*\).*/\1/p' "$leads/err")
    awk -v n="$n" '{ printf "%.1f\n", ($1 + $2) * 1e9 / n }' "$leads/time"
}
: >"$leads/steady"
: >"$leads/varying"
i=0
while [ "$i" -lt "$runs" ]; do
    ns_per_lead "$sc/bench-funnel.json" >>"$leads/steady"
    ns_per_lead "$sc/bench-time-varying.json" >>"$leads/varying"
    i=$((i + 1))
done
st=$(med <"$leads/steady")
va=$(med <"$leads/varying")
awk -v s="$st" -v v="$va" 'BEGIN {
    printf "6. time-varying rates, jobs 1: steady %.0f ns cpu a lead, profiles + campaigns %.0f ns\n", s, v
    printf "   time-varying costs %+.0f%% a lead (target: within 10%%)\n", (v / s - 1) * 100 }'

# 7. fit: the five unobservables of scenarios/bench-fit.json (interest and
# reach half-lives, misjudge_base, rush_penalty, p_reach) fitted to a year
# of its leads (about 20,800), 10 replications an evaluation, jobs 2, with
# its intervals (the local surface and the 60 replications of the sandwich
# are part of every fit; no bootstrap); one run (a fit is a minute), wall
# and CPU seconds.  The history is made as a user makes one: `run --leads`,
# then `import` of that lead log; the draft is bench-fit.json itself with
# the five keys started elsewhere (--set) and another seed.  Target: under
# 2 minutes on 2 cores.
if "$bin" import --help >/dev/null 2>&1; then
    fitdir=$(mktemp -d)
    trap 'rm -f "$log"; rm -rf "$leads" "$fitdir"' EXIT
    "$bin" run "$sc/bench-fit.json" --quiet --reps 1 --leads "$fitdir/log.csv" >/dev/null
    "$bin" import "$fitdir/log.csv" --out "$fitdir/crm" >/dev/null 2>&1 || {
        echo "bench: funnelsim import failed" >&2
        exit 1
    }
    cp "$sc/bench-fit.json" "$fitdir/crm/scenario.json"
    /usr/bin/env time -f '%e %U %S' -o "$fitdir/time" "$bin" fit "$fitdir/crm" \
        --out "$fitdir/fit" --bootstrap 0 --jobs 2 --quiet --seed 4242 \
        --set decay.half_life_hours=60 --set contact.reach_decay.half_life_hours=24 \
        --set contact.misjudge_base=0.05 --set contact.rush_penalty=0.1 \
        --set contact.p_reach=0.45 >"$fitdir/out" 2>&1 || {
        echo "bench: funnelsim fit failed:" >&2
        cat "$fitdir/out" >&2
        exit 1
    }
    rows=$(($(wc -l <"$fitdir/crm/leads.csv") - 1))
    evals=$(sed -n 's/.*"evaluations":[[:space:]]*\([0-9]*\).*/\1/p' "$fitdir/fit/fit.json")
    awk -v rows="$rows" -v evals="$evals" '{
        printf "7. fit of 5 keys to %d leads, jobs 2, with intervals: %s evaluations, wall %.1f s, cpu %.1f s (target: wall under 120 s)\n", rows, evals, $1, $2 + $3 }' "$fitdir/time"
    sed -n '/^key/,$p' "$fitdir/out" | sed 's/^/   /'
else
    echo "7. fit: skipped (this funnelsim has no import command to make the history)"
fi
