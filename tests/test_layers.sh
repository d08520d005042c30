#!/bin/sh
# test_layers.sh - the layering check (scripts/layers.sh) fails on what it
# must and passes the rest: small trees written here, each with one
# violation planted (or a near miss that is none), and a copy of this
# checkout with a bad include added.
#
# Usage: tests/test_layers.sh     (from the checkout; `make check` runs it)
set -u

here=$(cd "$(dirname "$0")/.." && pwd)
script=$here/scripts/layers.sh
tmp=$(mktemp -d "${TMPDIR:-/tmp}/funnelsim-layers-XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

passed=0
failed=0

fail() {
    echo "test_layers: FAIL: $*"
    failed=$((failed + 1))
}

# A fresh tree with one clean module per layer, each using the one below.
new_tree() {
    rm -rf "$tmp/t"
    mkdir -p "$tmp/t/sim" "$tmp/t/models" "$tmp/t/plots" "$tmp/t/cli" "$tmp/t/scripts"
    printf '%s\n' '#include "err.h"' 'int e(void) { return 0; }' >"$tmp/t/sim/err.c"
    printf '%s\n' 'int e(void);' >"$tmp/t/sim/err.h"
    printf '%s\n' '#include "models/lead.h"' '#include "sim/err.h"' >"$tmp/t/models/lead.c"
    printf '%s\n' '#include "sim/err.h"' >"$tmp/t/models/lead.h"
    printf '%s\n' '#include "plots/plot.h"' '#include "models/lead.h"' >"$tmp/t/plots/plot.c"
    printf '%s\n' '#include "sim/err.h"' >"$tmp/t/plots/plot.h"
    printf '%s\n' '#include "plots/plot.h"' '#include "models/lead.h"' '#include "sim/err.h"' \
        >"$tmp/t/cli/main.c"
}

# add FILE LINE...: appends lines to a file of the tree.
add() {
    f=$tmp/t/$1
    shift
    printf '%s\n' "$@" >>"$f"
}

# check NAME WANT_STATUS [PATTERN...]: runs the script on the tree (with
# the options in $opts) and expects its exit status and every PATTERN
# (a grep -F string) in its output.
opts=
check() {
    name=$1 want=$2
    shift 2
    # shellcheck disable=SC2086
    out=$(sh "$script" $opts "$tmp/t" 2>&1)
    rc=$?
    ok=1
    if [ "$rc" -ne "$want" ]; then
        fail "$name: exit $rc, expected $want"
        ok=0
    fi
    for pattern in "$@"; do
        if ! printf '%s\n' "$out" | grep -qF -- "$pattern"; then
            fail "$name: no '$pattern' in the output"
            ok=0
        fi
    done
    if [ "$ok" -eq 1 ]; then
        passed=$((passed + 1))
    else
        printf '%s\n' "$out" | sed 's/^/    | /'
    fi
}

# ---- a clean tree --------------------------------------------------------------------
new_tree
check "clean tree" 0 "layers: ok"

# ---- (a) includes against the layer order --------------------------------------------
new_tree
add sim/err.c '#include "models/lead.h"'
check "sim includes models" 1 'sim/err.c:3: #include "models/lead.h": sim/ may not include models/'

new_tree
add models/lead.h '#include "plots/plot.h"'
check "models includes plots" 1 'models/lead.h:2: #include "plots/plot.h"'

new_tree
add plots/plot.h '#include "../cli/main.h"'
printf 'int m(void);\n' >"$tmp/t/cli/main.h"
check "plots includes cli by a relative path" 1 'plots/plot.h:2: #include "../cli/main.h"'

new_tree
add sim/err.h '/* #include "cli/main.h" */' '// #include "models/lead.h"'
check "includes in comments are none" 0 "layers: ok"

new_tree
add sim/err.c '#include <models/lead.h>' '#include "stdio_like.h"'
check "system and unknown headers are not followed" 0 "layers: ok"

# ---- (b) include cycles between modules ----------------------------------------------
new_tree
printf '%s\n' '#include "sim/queue.h"' >"$tmp/t/sim/engine.h"
printf '%s\n' '#include "engine.h"' >"$tmp/t/sim/engine.c"
printf '%s\n' 'struct q;' >"$tmp/t/sim/queue.h"
printf '%s\n' '#include "queue.h"' '#include "sim/engine.h"' >"$tmp/t/sim/queue.c"
check "two modules include each other" 1 "include cycle between sim/engine sim/queue:" \
    'sim/engine.h:1: #include "sim/queue.h"' 'sim/queue.c:2: #include "sim/engine.h"'

new_tree
printf '%s\n' '#include "models/b.h"' >"$tmp/t/models/a.c"
printf '%s\n' '#include "models/c.h"' >"$tmp/t/models/b.h"
printf '%s\n' 'int c;' >"$tmp/t/models/c.h"
printf '%s\n' '#include "models/a.h"' >"$tmp/t/models/c.c"
printf '%s\n' 'int a;' >"$tmp/t/models/a.h"
check "a cycle of three" 1 "include cycle between models/a models/b models/c:"

new_tree
printf '%s\n' '#include "plots/plot.h"' >"$tmp/t/plots/plot_internal.h"
add plots/plot.c '#include "plots/plot_internal.h"'
check "a private header is part of its module" 0 "layers: ok"

new_tree
printf '%s\n' '#include "models/lead.h"' >"$tmp/t/models/team.h"
printf '%s\n' '#include "models/team.h"' >"$tmp/t/models/team.c"
add cli/main.c '#include "models/team.h"'
check "a chain is no cycle" 0 "layers: ok"

# ---- (c) key paths parsed outside models/ ----------------------------------------------
new_tree
add cli/main.c 'void f(const char *p, unsigned *i) { sscanf(p, "channels[%u].arrivals", i); }'
check "a key-path format in cli/" 1 'cli/main.c:4: key path parsed outside models/: "channels[%u].arrivals"'

new_tree
add plots/plot.c 'int t(const char *p) { return strncmp(p, "team[", 5) == 0; }'
check "a key-path prefix in plots/" 1 'plots/plot.c:3: key path parsed outside models/: "team["'

new_tree
add cli/main.c 'static const char *k = "channels[0].arrivals.per_week";'
check "a whole key path in cli/" 1 "cli/main.c:4:"

new_tree
add cli/main.c 'static const char *h = "override a value, e.g. team[1].count=7";' \
    'static const char *h2 = "team[1].count, contact.rush_penalty, ...";' \
    '/* "channels[" in a comment */' "static const char q = '\"'; static const char *s = \"ok\";"
check "help text, comments and quotes in characters are no parsing" 0 "layers: ok"

new_tree
add models/lead.c 'static const char *f = "channels[%u]";'
check "models/ may parse key paths" 0 "layers: ok"

# ---- the list of known violations ------------------------------------------------------
new_tree
printf '%s\n' 'int fit;' >"$tmp/t/models/fit.h"
add sim/err.c '#include "models/fit.h"'
add cli/main.c 'static const char *k = "team[";'
printf '%s\n' '# known' 'order sim/err.c models/fit.h' 'keypath cli/main.c' \
    'keypath plots/plot.c' >"$tmp/t/scripts/layers.known"
check "known violations do not fail" 0 'known: sim/err.c:3:' 'known: cli/main.c:4:' \
    'note: scripts/layers.known: "keypath plots/plot.c" no longer occurs'
opts=-s
check "-s ignores the known list" 1 "layers: 2 violations"
opts=
printf 'int m(void);\n' >"$tmp/t/cli/main.h"
add models/lead.h '#include "cli/main.h"'
check "a new violation fails beside known ones" 1 'models/lead.h:2:' "layers: 2 violations"

new_tree
printf '%s\n' '#include "sim/queue.h"' >"$tmp/t/sim/engine.h"
printf '%s\n' 'struct q;' >"$tmp/t/sim/queue.h"
printf '%s\n' '#include "sim/engine.h"' >"$tmp/t/sim/queue.c"
printf '%s\n' 'cycle sim/engine.h sim/queue.h' 'cycle sim/queue.c sim/engine.h' \
    >"$tmp/t/scripts/layers.known"
check "a known cycle does not fail" 0 "known: include cycle between sim/engine sim/queue"
printf '%s\n' '#include "sim/engine.h"' >"$tmp/t/sim/rng.c"
printf '%s\n' '#include "sim/rng.h"' >>"$tmp/t/sim/queue.c"
printf '%s\n' 'int r;' >"$tmp/t/sim/rng.h"
check "a known cycle grown by a new include fails" 1 \
    "include cycle between sim/engine sim/queue sim/rng:"

# ---- this checkout, with a bad include planted -----------------------------------------
rm -rf "$tmp/t"
mkdir -p "$tmp/t"
cp -R "$here/sim" "$here/models" "$here/plots" "$here/cli" "$here/scripts" "$tmp/t/"
check "a copy of this checkout passes as the checkout does" 0
lines=$(wc -l <"$tmp/t/sim/err.c")
add sim/err.c '#include "cli/cli.h"'
check "this checkout with sim/err.c including cli/cli.h" 1 \
    "sim/err.c:$((lines + 1)): #include \"cli/cli.h\": sim/ may not include cli/"

echo "test_layers: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
