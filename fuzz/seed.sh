#!/bin/sh
# seed.sh - make the seed corpus of fuzz_scenario in DIR, at run time, from
# the shipped scenarios and the broken-input tests (nothing is copied into
# the repository).
#
# Usage: fuzz/seed.sh DIR
#
# Each scenario and broken file goes in as it is; each scenario also goes
# in followed by a NUL byte and a few --set overrides (the target's input
# format, see fuzz_scenario.c), both good and bad, so that the fuzzer
# starts from inputs that reach the path parser and the compile step
# after it.
set -eu
dir=${1:?usage: fuzz/seed.sh DIR}
src=$(dirname "$0")/..
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
