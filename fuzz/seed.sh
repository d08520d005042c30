#!/bin/sh
# seed.sh - make a seed corpus at run time (nothing is copied into the
# repository), for fuzz_scenario or, with --plot, for fuzz_plot.
#
# Usage: fuzz/seed.sh DIR
#        fuzz/seed.sh --plot FUNNELSIM DIR
#
# fuzz_scenario: each scenario and broken file goes in as it is; each
# scenario also goes in followed by a NUL byte and a few --set overrides
# (the target's input format, see fuzz_scenario.c), both good and bad, so
# that the fuzzer starts from inputs that reach the path parser and the
# compile step after it.
#
# fuzz_plot: the program FUNNELSIM runs shipped scenarios briefly into a
# temporary directory (a run, a sweep, a grid, compare and compare
# --measures), and their result files go in as fuzz_plot.c reads them:
# MASK DEPTH NAME NUL FILE NUL FILE ... (see there), alone and together,
# in plain and deeply nested directories with quotes in their names.
set -eu
src=$(dirname "$0")/..

# ---- fuzz_plot ------------------------------------------------------------------
# seed_plot NAME MASK DEPTH DIRNAME FILE...: one input, MASK and DEPTH in
# octal; an empty FILE argument stands for an empty file.
seed_plot() {
    out=$dir/seed-$1 mask=$2 depth=$3 name=$4
    shift 4
    {
        # shellcheck disable=SC2059  # the format is the two octal escapes
        printf "\\$mask\\$depth"
        printf '%s' "$name"
        for f in "$@"; do
            printf '\000'
            [ -z "$f" ] || cat "$f"
        done
    } >"$out"
}

# $short and $run below are lists, split on purpose.
# shellcheck disable=SC2086
if [ "${1:-}" = --plot ]; then
    bin=${2:?usage: fuzz/seed.sh --plot FUNNELSIM DIR}
    dir=${3:?usage: fuzz/seed.sh --plot FUNNELSIM DIR}
    mkdir -p "$dir"
    rm -f "$dir"/seed-*
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    short='--reps 2 --set horizon_days=42 --set warmup_days=7 --quiet'
    {
        "$bin" run "$src/scenarios/default.json" $short --out "$tmp/run"
        "$bin" sweep "$src/scenarios/healthy.json" --vary 'channels[0].arrivals.per_week' \
            --from 200 --to 1000 --steps 4 $short --out "$tmp/sweep"
        "$bin" sweep "$src/scenarios/healthy.json" --vary 'channels[0].arrivals.per_week' \
            --from 200 --to 1000 --steps 3 --vary2 'team[1].count' --from2 3 --to2 6 \
            --steps2 2 $short --out "$tmp/grid"
        "$bin" compare "$src/scenarios/article-baseline.json" "$src/scenarios/healthy.json" \
            $short --out "$tmp/compare"
        "$bin" compare --measures "$src/scenarios/article-baseline.json" \
            "$src/scenarios/article-seven-measures.json" $short --out "$tmp/measures"
    } >/dev/null
    run="$tmp/run/result.json $tmp/run/series_daily.csv $tmp/run/series_weekly.csv"
    # A folder name: UNIT repeated N times.
    repeat() { i=0 r=; while [ "$i" -lt "$2" ]; do r=$r$1; i=$((i + 1)); done; printf '%s' "$r"; }
    quotes=$(repeat "'" 240)
    long=$(repeat "'\"\\\`\$@ " 36)
    # The octal escapes: MASK 001 sweep, 002 run, 004 measures, 010 compare;
    # 040 and up set the junk target too.  DEPTH in octal.
    seed_plot sweep 001 000 '' "$tmp/sweep/sweep.json"
    seed_plot grid 001 000 '' "$tmp/grid/sweep.json"
    seed_plot run 002 000 '' $run
    seed_plot measures 004 000 '' "$tmp/measures/measures.json"
    seed_plot compare 010 000 '' "$tmp/compare/compare.json"
    seed_plot all 057 003 "it''s a 'dir'" "$tmp/sweep/sweep.json" $run \
        "$tmp/measures/measures.json" "$tmp/compare/compare.json"
    # 16 folders of 240 quotes: 3,900 bytes under the target's directory.
    seed_plot deep 002 020 "$quotes" $run
    seed_plot deep-grid 041 020 "$quotes" "$tmp/grid/sweep.json"
    # Folders of 252 quotes, backslashes, backquotes, $, @ and blanks: 16
    # of them come to about 4,070 bytes, past what the charts' files fit in.
    seed_plot long 002 020 "$long" $run
    seed_plot not-object-sweep 001 000 '' ''
    printf '\001\000\000[1,2]' >"$dir/seed-array-sweep"
    printf '\002\000\000null' >"$dir/seed-null-result"
    { printf '\004\000\000'; printf '42'; } >"$dir/seed-number-measures"
    printf '\010\000\000"x"' >"$dir/seed-string-compare"
    set -- "$dir"/seed-*
    echo $#
    exit 0
fi

# ---- fuzz_scenario ----------------------------------------------------------------
dir=${1:?usage: fuzz/seed.sh DIR}
mkdir -p "$dir"
rm -f "$dir"/seed-*

for f in "$src"/scenarios/*.json "$src"/tests/bad/*.json; do
    [ -e "$f" ] || continue
    base=$(basename "$(dirname "$f")")-$(basename "$f" .json)
    cp "$f" "$dir/seed-$base"
done

# Overrides a user might type, one group per variant.
i=0
for f in "$src"/scenarios/*.json; do
    [ -e "$f" ] || continue
    base=$(basename "$f" .json)
    for sets in \
        'team[0].count=7\nchannels[0].arrivals.per_week=300\nrouting=favourites' \
        'horizon_days=1e999\nreplications=nan\nseed=-1' \
        'channels[0].temperature.hot=0.9\nchannels[0].temperature.warm=0.5' \
        'contact.duration.dist=gamma\ncontact.duration.cv=0\ndecay.kind=two_phase' \
        'channels[9].name=x\nteam[0].cuont=3\nhandoff.max_backlog=null' \
        'abandon.kind=fixed\nabandon.after_hours=12\ncalendar.mode=business\ncalendar.hours_per_day=20' \
        'channels[0]=1\n=3\nteam.count=1\nchannels[0].arrivals.kind=batch' \
        'contact.duration.dist=gamma\ncontact.duration.cv=0.001\nchannels[0].deal_value.cv=100' \
        'channels[0].cost_per_lead=1e15\nhorizon_days=3650\nchannels[0].arrivals.per_week=1e7'
    do
        i=$((i + 1))
        { cat "$f"; printf '\000'; printf "$sets"; } >"$dir/seed-set-$base-$i"
    done
done
ls "$dir" | grep -c '^seed-'
