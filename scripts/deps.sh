#!/bin/sh
# deps.sh - install the Debian packages funnelsim needs and this machine lacks.
#
# Usage: scripts/deps.sh [GROUP...]   (groups: build test plot report fuzz check)
# Default groups: build test plot.  A package is installed only when its
# pkg-config module or program is missing; apt-get update runs first.  When
# not root, the command is printed instead of run.
set -eu

missing=""
want() {  # want PACKAGE CHECK...: queue PACKAGE unless CHECK succeeds
    pkg=$1; shift
    if ! "$@" >/dev/null 2>&1; then
        case " $missing " in *" $pkg "*) ;; *) missing="$missing $pkg" ;; esac
    fi
}
have_pc() { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$1"; }
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_file() { test -e "$1"; }

groups=${*:-build test plot}
for g in $groups; do
    case $g in
    build)
        want pkg-config have_cmd pkg-config
        want make have_cmd make
        want gcc have_cmd cc
        want libgsl-dev have_pc gsl
        want libcjson-dev have_pc libcjson
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
        want libclang-rt-14-dev have_file /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a
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
cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" -ne 0 ]; then
    echo "funnelsim needs these Debian packages:$missing"
    echo "Run as root:  $cmd"
    exit 1
fi
echo "Installing:$missing"
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
