#!/bin/sh
# layers.sh - check the layering of the sources.
#
# Usage: scripts/layers.sh [-s] [DIR]     (DIR: the checkout, default .)
#
# The layers, each using only those before it:
#
#     sim/  <-  models/  <-  plots/  <-  cli/
#     engine    model        charts      program
#
# A module is a .c/.h pair (sim/err = sim/err.c + sim/err.h).  The check
# reads every `#include "..."` of the .c and .h files in those four
# directories (comments skipped; a name is looked up next to the file
# first, then from DIR, as the compiler does with -I.; a private header
# X_internal.h counts as part of module X) and fails on
#
#   order    an include against the layer order: sim/ including models/,
#            plots/ or cli/; models/ including plots/ or cli/; plots/
#            including cli/;
#   cycle    an include cycle between modules: every strongly connected
#            group of the module graph is listed with the includes that
#            close it;
#   keypath  key-path parsing outside models/: in plots/ and cli/, a
#            string literal that is a key path or its prefix ("team[",
#            "channels[0].arrivals.per_week": no space in it) or holds
#            a format for one ("channels[%u]").  Help text that shows a
#            path among words ("... e.g. team[1].count=7") is no parsing.
#
# Each finding is printed as FILE:LINE: what.  Known violations, listed in
# DIR/scripts/layers.known, are printed as "known" and do not fail the
# check; a line there that no longer matches anything is reported, to be
# deleted.  -s (strict) ignores that list.  Exit status: 0 clean, 1
# findings, 2 usage.
#
# POSIX sh, find, sort and awk only.
set -eu

strict=0
while [ $# -gt 0 ]; do
    case $1 in
    -s | --strict) strict=1; shift ;;
    -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    --) shift; break ;;
    -*) echo "layers.sh: unknown option '$1' (try -h)" >&2; exit 2 ;;
    *) break ;;
    esac
done
[ $# -le 1 ] || { echo "layers.sh: one directory at most (try -h)" >&2; exit 2; }
root=${1:-.}
cd "$root" || exit 2

known=/dev/null
if [ "$strict" -eq 0 ] && [ -f scripts/layers.known ]; then
    known=scripts/layers.known
fi

files=$(find sim models plots cli -type f \( -name '*.c' -o -name '*.h' \) 2>/dev/null |
    LC_ALL=C sort)
if [ -z "$files" ]; then
    echo "layers.sh: no sources under $root/{sim,models,plots,cli}" >&2
    exit 2
fi

# shellcheck disable=SC2086  # the file names hold no spaces
LC_ALL=C ${AWK:-awk} -v known="$known" '
function top(path) { sub(/\/.*/, "", path); return path }
# The module of a file: its path without .c or .h; a private header
# X_internal.h belongs to module X when there is an X.c or X.h.
function module(path,    base) {
    sub(/\.[ch]$/, "", path)
    base = path
    if (sub(/_internal$/, "", base) && ((base ".c") in is_source || (base ".h") in is_source))
        return base
    return path
}
function dirname(path) { if (path !~ /\//) return "."; sub(/\/[^\/]*$/, "", path); return path }

# "a/./b/../c" -> "a/c"
function normalize(path,    n, i, part, out, k, parts, stack) {
    n = split(path, parts, "/")
    k = 0
    for (i = 1; i <= n; i++) {
        part = parts[i]
        if (part == "" || part == ".")
            continue
        if (part == ".." && k > 0 && stack[k] != "..") { k--; continue }
        stack[++k] = part
    }
    out = ""
    for (i = 1; i <= k; i++)
        out = out (i > 1 ? "/" : "") stack[i]
    return out
}

# The file an include names, as the compiler finds it, or "".
function resolve(from, name,    p) {
    p = normalize(dirname(from) "/" name)
    if (p in is_source) return p
    p = normalize(name)
    if (p in is_source) return p
    return ""
}

# The line without its comments (block comments may span lines: state in
# in_comment); string and character literals are kept whole.
function strip(line,    out, i, n, c, d, q) {
    out = ""; n = length(line); i = 1
    while (i <= n) {
        c = substr(line, i, 1); d = substr(line, i, 2)
        if (in_comment) {
            if (d == "*/") { in_comment = 0; i += 2; out = out " " } else i++
            continue
        }
        if (d == "/*") { in_comment = 1; i += 2; continue }
        if (d == "//") break
        if (c == "\"" || c == "\047") {
            # A character literal becomes \047 \047: a quote in it (\047"\047)
            # must not open a string.
            q = c; out = out c; i++
            while (i <= n) {
                c = substr(line, i, 1)
                if (c == "\\") { if (q == "\"") out = out substr(line, i, 2); i += 2; continue }
                i++
                if (c == q) break
                if (q == "\"") out = out c
            }
            out = out q
            continue
        }
        out = out c; i++
    }
    return out
}

function finding(key, where, what) {
    if (key in known_keys) {
        seen_known[key] = 1
        printf "known: %s: %s\n", where, what
        n_known++
    } else {
        printf "%s: %s\n", where, what
        n_bad++
    }
}

# Each string literal of `code` that parses key paths, reported.
function keypaths(code, where,    rest, lit, i, c, n) {
    rest = code
    while ((i = index(rest, "\"")) > 0) {
        rest = substr(rest, i + 1); lit = ""; n = length(rest)
        for (i = 1; i <= n; i++) {
            c = substr(rest, i, 1)
            if (c == "\\") { lit = lit substr(rest, i, 2); i++; continue }
            if (c == "\"") break
            lit = lit c
        }
        rest = substr(rest, i + 1)
        if (lit ~ /^(channels|team)\[[^ ]*$/ || lit ~ /(channels|team)\[%/)
            finding("keypath " FILENAME, where,
                    "key path parsed outside models/: \"" lit "\"")
    }
}

BEGIN {
    rank["sim"] = 0; rank["models"] = 1; rank["plots"] = 2; rank["cli"] = 3
    for (i = 1; i < ARGC; i++) is_source[ARGV[i]] = 1
    while ((getline line < known) > 0) {
        sub(/#.*/, "", line)
        n = split(line, f, " ")
        if (n == 0) continue
        key = f[1]; for (i = 2; i <= n; i++) key = key " " f[i]
        known_keys[key] = 1; known_list[++n_known_list] = key
    }
    n_bad = 0; n_known = 0; n_nodes = 0
}

FNR == 1 { in_comment = 0 }

{
    code = strip($0)
    where = FILENAME ":" FNR
    if (code ~ /^[ \t]*#[ \t]*include[ \t]*"/) {
        name = code; sub(/^[^"]*"/, "", name); sub(/".*/, "", name)
        target = resolve(FILENAME, name)
        if (target != "") {
            from_top = top(FILENAME); to_top = top(target)
            if (rank[to_top] > rank[from_top])
                finding("order " FILENAME " " target, where,
                        "#include \"" name "\": " from_top "/ may not include " to_top "/")
            u = module(FILENAME); v = module(target)
            if (u != v) {
                if (!(u in node_id)) { node_id[u] = ++n_nodes; node[n_nodes] = u }
                if (!(v in node_id)) { node_id[v] = ++n_nodes; node[n_nodes] = v }
                if (!((u, v) in has_edge)) {
                    has_edge[u, v] = 1
                    adj[u, ++deg[u]] = v
                }
                n_sites++
                site_u[n_sites] = u; site_v[n_sites] = v
                site_order[n_sites] = sprintf("%s:%09d", FILENAME, FNR)
                site_text[n_sites] = where ": #include \"" name "\""
                site_key[n_sites] = "cycle " FILENAME " " target
            }
        }
    }
    if (top(FILENAME) == "plots" || top(FILENAME) == "cli")
        keypaths(code, where)
}

# Tarjan: strongly connected groups of the module graph.
function connect(v,    k, w, n) {
    index_of[v] = low[v] = ++counter
    stack[++sp] = v; on_stack[v] = 1
    for (k = 1; k <= deg[v]; k++) {
        w = adj[v, k]
        if (!(w in index_of)) {
            connect(w)
            if (low[w] < low[v]) low[v] = low[w]
        } else if (on_stack[w] && index_of[w] < low[v])
            low[v] = index_of[w]
    }
    if (low[v] == index_of[v]) {
        n_groups++; n = 0
        do {
            w = stack[sp--]; on_stack[w] = 0
            group[n_groups, ++n] = w; group_of[w] = n_groups
        } while (w != v)
        group_size[n_groups] = n
    }
}

# Sorts a[1..n] in place (insertion sort: the lists are short).
function sort(a, n,    i, j, t) {
    for (i = 2; i <= n; i++)
        for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
}

# A group of modules that include each other, with the includes inside it
# in file and line order.
function report_group(g,    i, n, k, m, s, list, text, all_known) {
    n = group_size[g]
    for (i = 1; i <= n; i++) m[i] = group[g, i]
    sort(m, n)
    list = ""
    for (i = 1; i <= n; i++) list = list (i > 1 ? " " : "") m[i]
    k = 0
    for (i = 1; i <= n_sites; i++)
        if (group_of[site_u[i]] == g && group_of[site_v[i]] == g)
            s[++k] = site_order[i] SUBSEP i
    sort(s, k)
    text = ""; all_known = 1
    for (i = 1; i <= k; i++) {
        split(s[i], m, SUBSEP)
        text = text "\n  " site_text[m[2]]
        if (site_key[m[2]] in known_keys) seen_known[site_key[m[2]]] = 1
        else all_known = 0
    }
    if (all_known) {
        printf "known: include cycle between %s:%s\n", list, text
        n_known++
    } else {
        printf "include cycle between %s:%s\n", list, text
        n_bad++
    }
}

END {
    for (i = 1; i <= n_nodes; i++)
        if (!(node[i] in index_of)) connect(node[i])
    for (g = 1; g <= n_groups; g++)
        if (group_size[g] > 1) report_group(g)
    for (i = 1; i <= n_known_list; i++)
        if (!(known_list[i] in seen_known))
            printf "note: %s: \"%s\" no longer occurs; delete the line\n", known, known_list[i]
    if (n_bad > 0) {
        printf "layers: %d violation%s of the layering\n", n_bad, (n_bad == 1 ? "" : "s")
        exit 1
    }
    if (n_known > 0)
        printf "layers: ok apart from %d known violation%s (%s)\n", n_known,
               (n_known == 1 ? "" : "s"), known
    else
        print "layers: ok"
}
' $files
