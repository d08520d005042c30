#!/bin/sh
# gen-keys.sh - write, or check, what the key table generates: the key
# tables of docs/scenario.md (between "<!-- keys: X -->" and
# "<!-- /keys: X -->"; the prose around them is hand-written) and the key
# section of fuzz/fuzz.dict (between "# BEGIN keys" and "# END keys").
#
# Usage: scripts/gen-keys.sh BIN [--check] [SCENARIO_MD FUZZ_DICT]
#   BIN          the funnelsim binary whose `keys` command is the source
#   --check      change nothing; exit 1 naming each file that differs
# Exit 2 on a usage error or a marker the table does not know.
set -eu

usage() { echo "usage: scripts/gen-keys.sh BIN [--check] [SCENARIO_MD FUZZ_DICT]" >&2; exit 2; }
[ $# -ge 1 ] || usage
bin=$1; shift
check=false
if [ "${1:-}" = "--check" ]; then check=true; shift; fi
doc=${1:-docs/scenario.md}
dict=${2:-fuzz/fuzz.dict}
[ -x "$bin" ] || { echo "gen-keys: $bin: not an executable (run make first)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
"$bin" keys --format markdown >"$tmp/keys.md"
"$bin" keys --format text >"$tmp/keys.txt"

# docs/scenario.md: each marked block replaced by the table's block.
awk -v gen="$tmp/keys.md" -v file="$doc" '
BEGIN {
    while ((getline line < gen) > 0) {
        if (line ~ /^<!-- keys: /) { id = line; block[id] = ""; n++; order[n] = id; inside = 1 }
        if (inside) block[id] = block[id] line "\n"
        if (line ~ /^<!-- \/keys: /) inside = 0
    }
}
/^<!-- keys: / {
    if (!($0 in block)) { printf "gen-keys: %s:%d: the key table has no block %s\n", file, NR, $0 > "/dev/stderr"; bad = 1 }
    else { printf "%s", block[$0]; used[$0] = 1 }
    skip = 1; next
}
skip && /^<!-- \/keys: / { skip = 0; next }
skip { next }
{ print }
END {
    for (i = 1; i <= n; i++)
        if (!(order[i] in used)) { printf "gen-keys: %s: no place for the key table block %s\n", file, order[i] > "/dev/stderr"; bad = 1 }
    exit bad ? 2 : 0
}' "$doc" >"$tmp/doc"

# fuzz.dict: every key name (quoted, as in a file, and bare, as in a --set
# path), every choice, and every path with index 0, as "PATH=".
awk '
function emit(s) { if (!(s in seen)) { seen[s] = 1; print s } }
/^[a-z]/ && !/^rule / {
    path = $1
    n = split(path, parts, /[.\[\]]+/)
    for (i = 1; i <= n; i++) if (parts[i] != "") { emit("\"\\\"" parts[i] "\\\"\""); emit("\"" parts[i] "\"") }
    whole = path; gsub(/\[\]/, "[0]", whole); paths[++np] = "\"" whole "=\""
    next
}
/^  [a-z ]*, one of / {
    s = $0
    while (match(s, /"[^"]*"/)) { emit("\"\\" substr(s, RSTART, RLENGTH - 1) "\\\"\""); s = substr(s, RSTART + RLENGTH) }
}
END { for (i = 1; i <= np; i++) emit(paths[i]) }' "$tmp/keys.txt" >"$tmp/dict.keys"
awk -v gen="$tmp/dict.keys" -v file="$dict" '
/^# BEGIN keys/ { print; while ((getline line < gen) > 0) print line; skip = 1; found = 1; next }
skip && /^# END keys/ { skip = 0 }
skip { next }
{ print }
END { if (!found) { printf "gen-keys: %s: no \"# BEGIN keys\" line\n", file > "/dev/stderr"; exit 2 } }' "$dict" >"$tmp/dict"

status=0
for pair in "$doc:$tmp/doc" "$dict:$tmp/dict"; do
    target=${pair%%:*}; made=${pair#*:}
    if cmp -s "$target" "$made"; then continue; fi
    if $check; then
        echo "gen-keys: $target differs from what the key table generates; run 'make keys-docs'" >&2
        diff -u "$target" "$made" | head -20 >&2 || true
        status=1
    else
        cat "$made" >"$target"
        echo "gen-keys: wrote $target"
    fi
done
exit $status
