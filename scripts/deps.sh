#!/bin/sh
# deps.sh - install the Debian packages funnelsim needs and this machine lacks.
#
# Usage: scripts/deps.sh [--check] [GROUP...]
#        (groups: build test plot report fuzz check)
# Default groups: build test plot report.  A package is installed only when its
# pkg-config module or program is missing; apt-get update runs first.  When
# not root, the command is printed instead of run.
#
# --check installs nothing: it names what is missing and exits 1 (`make
# check` uses it), or exits 0 when nothing is.
#
# The C compiler is $CC (default cc).  When it is clang, the build group
# also wants the llvm-ar of its version (package llvm-N) for link-time
# optimisation; --check does not insist, as the Makefile builds without
# LTO then.
set -eu

check_only=0
if [ "${1:-}" = "--check" ]; then
    check_only=1
    shift
fi
CC=${CC:-cc}

missing=""
why=""
want() {  # want PACKAGE CHECK...: queue PACKAGE unless CHECK succeeds
    pkg=$1; shift
    if ! "$@" >/dev/null 2>&1; then
        case " $missing " in
        *" $pkg "*) ;;
        *)
            missing="$missing $pkg"
            case $1 in
            have_pc) why="$why
  $pkg: pkg-config cannot find '$2'" ;;
            have_cmd) why="$why
  $pkg: no '$2' command" ;;
            *) why="$why
  $pkg" ;;
            esac
            ;;
        esac
    fi
}
have_pc() { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$1"; }
have_cmd() { command -v "$1" >/dev/null 2>&1; }
# libcsv has no pkg-config file: a program using its header must link.
have_libcsv() {
    t=$(mktemp -d) || return 1
    printf '%s\n' '#include <csv.h>' \
        'int main(void) { struct csv_parser p; return csv_init(&p, 0); }' >"$t/c.c"
    # shellcheck disable=SC2086
    $CC "$t/c.c" -o "$t/c" -lcsv >/dev/null 2>&1
    rc=$?
    rm -rf "$t"
    return $rc
}
# $CC is clang: its major version, else nothing.
clang_major() {
    # shellcheck disable=SC2086  # CC may be "ccache clang"
    $CC -dM -E -x c /dev/null 2>/dev/null | sed -n 's/.*__clang_major__ //p'
}
# An llvm-ar for clang $1: the one clang itself finds, or llvm-ar-$1.
have_llvm_ar() {
    # shellcheck disable=SC2086
    p=$($CC -print-prog-name=llvm-ar 2>/dev/null) && [ -x "$p" ] && return 0
    command -v "llvm-ar-$1" >/dev/null 2>&1
}
# A libFuzzer runtime that links: compiling a trivial fuzz target finds
# it wherever this clang keeps it (the version directory changes with
# Debian point releases).
have_fuzzer() {
    command -v "$1" >/dev/null 2>&1 || return 1
    t=$(mktemp -d) || return 1
    printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
        'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
        'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
        >"$t/f.c"
    "$1" -fsanitize=fuzzer,address,undefined "$t/f.c" -o "$t/f" >/dev/null 2>&1
    rc=$?
    rm -rf "$t"
    return $rc
}

groups=${*:-build test plot report}
for g in $groups; do
    case $g in
    build)
        want pkg-config have_cmd pkg-config
        want make have_cmd make
        want gcc have_cmd cc
        want libgsl-dev have_pc gsl
        want libcjson-dev have_pc libcjson
        want libmicrohttpd-dev have_pc libmicrohttpd
        want libnlopt-dev have_pc nlopt
        want libcsv-dev have_libcsv
        major=$(clang_major)
        if [ -n "$major" ] && [ "$check_only" -eq 0 ]; then
            want "llvm-$major" have_llvm_ar "$major"
        fi
        ;;
    test)
        want libcriterion-dev have_pc criterion
        ;;
    plot)
        want gnuplot-nox have_cmd gnuplot
        ;;
    report)
        want chromium have_cmd chromium
        ;;
    fuzz)
        want clang-14 have_cmd clang-14
        want libclang-rt-14-dev have_fuzzer clang-14
        ;;
    check)
        want valgrind have_cmd valgrind
        ;;
    *)
        echo "deps.sh: unknown group '$g' (build test plot report fuzz check)" >&2
        exit 2
        ;;
    esac
done

[ -n "$missing" ] || exit 0
if [ "$check_only" -eq 1 ]; then
    echo "funnelsim: missing Debian packages:$why" >&2
    echo "Run 'make deps' (or 'make test', which runs it) to install them." >&2
    exit 1
fi
cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" -ne 0 ]; then
    echo "funnelsim needs these Debian packages:$missing"
    echo "Run as root:  $cmd"
    exit 1
fi
echo "Installing:$missing"
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
