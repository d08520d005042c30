# funnelsim - a discrete-event simulator of a B2B sales funnel.
#
#   make demo    install missing packages, build, run the default scenario and
#                draw its charts and report into out/demo
#   make check   the fast inner loop: the layering check and the fast tier of
#                the tests; installs nothing (a missing package is named, with
#                `make deps` to install it), under a minute from a clean tree
#   make test    install missing packages, build, run the layering check and
#                every test: the fast and medium tiers
#   make asan    the fast tier plus the cheap medium tests (charts, hardening)
#                under AddressSanitizer + UBSan; what CI runs
#   make slow    long studies: the coverage of fit's intervals over 100 seeds
#                (about 25 minutes on 2 cores; FIT_COVERAGE_SEEDS=N for fewer)
#   make bench   speed figures (leads/s, events/s, wall time, peak memory);
#                make bench-compare BASE=OLD_BINARY: the median speed ratio;
#                make bench-serve: `funnelsim serve` under 50 clients
#   make fuzz    fuzz the scenario loader and --set, the chart inputs and
#                the server's request path,
#                FUZZ_SECONDS each (clang-14)
#   make keys-docs  rewrite docs/scenario.md's key tables and fuzz/fuzz.dict's
#                keys from the key table (`funnelsim keys`)
#   make valgrind  memcheck on a short run of every shipped scenario
#   make install PREFIX=/usr/local DESTDIR=
#
# The tiers of the tests (Criterion suites, chosen with --filter):
#   fast    every suite but those below: the unit tests, the command line,
#           sweeps and sizing through the real binary, the validation
#           against queueing theory.  No browser, no gnuplot, no root, no
#           mounts; about 10 s on 2 cores.
#   medium  plot (needs gnuplot), report and serve_browser (need Chromium:
#           the report's HTML, the what-if page driven over the DevTools
#           protocol), hardening (mounts
#           a tmpfs when root, /dev/full, signals, a year of overload),
#           size_max_study (size --maximize on the baseline, rechecked with
#           another seed: about 5 s of CPU), transient (the queue after a
#           step in the inflow against the Kolmogorov forward equations,
#           from 300 replications' lead logs: about 4 s), fit_recovery
#           (`funnelsim fit` recovers a synthetic company's unobservables
#           inside their intervals, a wrong model fits worse,
#           Ctrl-C, the back-test: about half a minute).
#   slow    long studies: fit_coverage (`make slow`: the fit's intervals
#           over 100 data seeds; skipped unless FUNNELSIM_SLOW is set).
#
# Compiler and flags: CC=gcc (the default cc) or CC=clang; CPPFLAGS, CFLAGS,
# LDFLAGS and LDLIBS are honoured (CFLAGS after the project's, so they win);
# OPT replaces the optimisation and link-time optimisation flags, AR the
# archiver.  BUILD names the build directory (make CC=clang BUILD=build-clang).

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/funnelsim
CC      ?= cc
WERROR  ?= -Werror
BUILD   ?= build
# Parallel jobs for the builds that `make check` and `make test` start,
# unless make was given -j itself.
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)

# Link-time optimisation lets the event loop inline the heap and the model's
# small helpers across files (about 10% faster, docs/performance.md).  The
# archive needs an archiver that indexes the compiler's LTO objects: gcc-ar
# for gcc; for clang, its own llvm-ar (or llvm-ar-N of its version N), with
# ThinLTO.  A clang without llvm-ar builds without LTO, with ar (`make deps`
# installs llvm-N).  Another compiler: no LTO, ar.
CC_MACROS := $(shell $(CC) -dM -E -x c /dev/null 2>/dev/null)
ifneq ($(findstring __clang__,$(CC_MACROS)),)
  CLANG_MAJOR := $(shell $(CC) -dM -E -x c /dev/null 2>/dev/null | sed -n 's/.*__clang_major__ //p')
  LLVM_AR := $(firstword $(wildcard $(shell $(CC) -print-prog-name=llvm-ar 2>/dev/null)) \
                $(shell for a in llvm-ar-$(CLANG_MAJOR) llvm-ar; do command -v $$a; done 2>/dev/null))
  ifneq ($(LLVM_AR),)
    LTO     := -flto=thin
    AR_AUTO := $(LLVM_AR)
  else
    LTO     :=
    AR_AUTO := ar
    ifeq ($(MAKELEVEL),0)
      $(info note: no llvm-ar for clang $(CLANG_MAJOR): building without link-time optimisation (make deps installs llvm-$(CLANG_MAJOR)))
    endif
  endif
else ifneq ($(findstring __GNUC__,$(CC_MACROS)),)
  LTO     := -flto=auto
  AR_AUTO := gcc-ar
else
  LTO     :=
  AR_AUTO := ar
endif
ifeq ($(origin AR),default)
  AR := $(AR_AUTO)
endif
OPT     ?= -O2 -g $(LTO)

PKGS      := gsl libcjson libmicrohttpd nlopt
TEST_PKGS := criterion
VERSION   := 0.1.0

WARN := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
        -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral $(WERROR)
DEFS := -D_POSIX_C_SOURCE=200809L -DFUNNELSIM_VERSION='"$(VERSION)"' \
        -DFUNNELSIM_DATADIR='"$(DATADIR)"'

# pkg-config is asked lazily ('=' not ':='), after `deps` has run.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS))
TEST_CFLAGS_PKG = $(shell pkg-config --cflags $(TEST_PKGS))
TEST_LIBS_PKG   = $(shell pkg-config --libs $(TEST_PKGS))

ALL_CPPFLAGS = $(DEFS) -I. $(PKG_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS   = $(OPT) $(WARN) $(ALL_CPPFLAGS) $(EXTRA_CFLAGS) $(CFLAGS)
ALL_LDFLAGS  = $(EXTRA_LDFLAGS) $(LDFLAGS)
# libcsv ships no pkg-config file: scripts/deps.sh checks its header and library.
ALL_LIBS     = $(PKG_LIBS) -lcsv -lpthread -lm $(LDLIBS)

LIB_SRC  := $(wildcard sim/*.c) $(wildcard models/*.c) $(wildcard plots/*.c)
CLI_SRC  := $(wildcard cli/*.c)
TEST_SRC := $(wildcard tests/*.c)

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/obj/%.o)

# The what-if page's files (web/, built in: see "the what-if page" below)
# and what the tests link of cli/ to call the page's functions directly.
WEB_FILES   := $(wildcard web/*.html web/*.js web/*.css)
WEB_GEN_C   := $(BUILD)/gen/serve_page_files.c
WEB_GEN_OBJ := $(BUILD)/obj/gen/serve_page_files.o
PAGE_OBJ    := $(BUILD)/obj/cli/serve_page.o $(WEB_GEN_OBJ)

BIN   := $(BUILD)/funnelsim
LIB   := $(BUILD)/libfunnelsim.a
TESTS := $(BUILD)/funnelsim-tests

.PHONY: all deps check check-layers test slow demo bench bench-serve bench-compare asan fuzz fuzz-import fuzz-import-run valgrind install \
        uninstall clean

# The test suites of each tier (see the top), as Criterion --filter patterns
# (globs with extglob's !(...) and @(...)).
FAST_TESTS := !(plot|report|hardening|size_max_study|serve_browser|transient|fit_recovery|fit_coverage)/*
ASAN_TESTS ?= !(report|serve_browser|fit_recovery|fit_coverage)/*

# -j$(JOBS) for a sub-make, unless this make already has -j.
PARALLEL = $(if $(filter -j%,$(MAKEFLAGS)),,-j$(JOBS))

all: $(BIN)

# What each job needs; `make deps` installs everything `make test` uses.
deps:
	@CC='$(CC)' scripts/deps.sh build test plot report

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# Test files also see Criterion's headers, whose macros define functions
# without prototypes.
$(BUILD)/obj/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS_PKG) -Wno-missing-prototypes \
	    -DFUNNELSIM_BIN='"$(abspath $(BIN))"' -DFUNNELSIM_SRCDIR='"$(CURDIR)"' \
	    -MMD -MP -c $< -o $@

# Made anew each time, so that a module removed from the tree leaves no
# stale member behind.
$(LIB): $(LIB_OBJ)
	@mkdir -p $(@D)
	@rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(CLI_OBJ) $(WEB_GEN_OBJ) $(LIB)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(WEB_GEN_OBJ) $(LIB) $(ALL_LIBS)

$(TESTS): $(TEST_OBJ) $(PAGE_OBJ) $(LIB) $(BIN)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(TEST_OBJ) $(PAGE_OBJ) $(LIB) $(TEST_LIBS_PKG) $(ALL_LIBS)

# `make check`: the fast inner loop.  It installs nothing: a package that
# pkg-config cannot find stops it with the package's name and `make deps`.
# Criterion runs the tests in parallel processes and ends with its
# "Synthesis:" line.
check:
	@CC='$(CC)' scripts/deps.sh --check build test
	@$(MAKE) --no-print-directory check-layers
	@$(MAKE) --no-print-directory $(PARALLEL) $(TESTS) keys-check
	$(TESTS) --filter='$(FAST_TESTS)' $(TEST_ARGS)

# The layering of sim/ <- models/ <- plots/ <- cli/ (scripts/layers.sh),
# and the check's own test on trees with violations planted.
check-layers:
	@sh scripts/layers.sh
	@sh tests/test_layers.sh

# `make test` installs what is missing, then builds and runs the layering
# check and every test.
test: deps
	@$(MAKE) --no-print-directory check-layers
	@$(MAKE) --no-print-directory $(PARALLEL) $(TESTS) keys-check
	$(TESTS) $(TEST_ARGS)

# `make slow`: the long studies, after `make test`: the coverage of fit's
# intervals over 100 data seeds (tests/test_fit_recovery.c,
# fit_coverage; FIT_COVERAGE_SEEDS=N runs N).
slow: test
	FUNNELSIM_SLOW=1 $(TESTS) --filter='fit_coverage/*' --verbose $(TEST_ARGS)

# ---- the key table's generated parts ----------------------------------------------
# docs/scenario.md's key tables and fuzz/fuzz.dict's key section are written
# from `funnelsim keys` by `make keys-docs`; keys-check fails when they
# differ from the table, and shows that it can: a copy with one cell
# changed must fail the same check.
.PHONY: keys-docs keys-check
keys-docs: $(BIN)
	scripts/gen-keys.sh $(BIN)

keys-check: $(BIN)
	@scripts/gen-keys.sh $(BIN) --check
	@t=$$(mktemp -d) && sed 's/^| `count` | whole number/| `count` | number/' docs/scenario.md >$$t/s.md && \
	    cp fuzz/fuzz.dict $$t/d && \
	    if scripts/gen-keys.sh $(BIN) --check $$t/s.md $$t/d >/dev/null 2>&1; then \
	        rm -rf $$t; echo "keys-check: a changed table went unnoticed" >&2; exit 1; fi; \
	    rm -rf $$t; echo "keys-check: docs/scenario.md and fuzz/fuzz.dict match the key table"

# ---- charts ---------------------------------------------------------------------
# `make demo`: the default scenario's sweep over the web channel's weekly
# inflow (250 to 1000 a week, half to twice today's 500), written to DEMO_DIR
# with its charts and report.html, and its run in DEMO_DIR/run (one run per
# folder; --overwrite replaces an earlier demo).
DEMO_DIR ?= out/demo
demo:
	@scripts/deps.sh build plot
	@$(MAKE) --no-print-directory $(BIN)
	$(BIN) run scenarios/default.json --out $(DEMO_DIR)/run --quiet --overwrite --plot
	$(BIN) sweep scenarios/default.json --vary 'channels[0].arrivals.per_week' \
	    --from 250 --to 1000 --steps 31 --out $(DEMO_DIR) --quiet --overwrite --plot
	@echo
	@echo "Reports: $(DEMO_DIR)/report.html (the sweep), $(DEMO_DIR)/run/report.html (the run)"
	@echo "Charts:"
	@for f in $(DEMO_DIR)/*.png $(DEMO_DIR)/run/*.png; do echo "  $$f"; done

# The gnuplot scripts plots/*.gp are built into the binary, so that
# `funnelsim plot` can write them into any result directory: plots/embed.sh
# turns them into a table of lines in a generated C file (xxd is not
# assumed), compiled into the library next to plots/*.c.
PLOT_GP      := $(wildcard plots/*.gp)
PLOT_GEN_C   := $(BUILD)/gen/plot_scripts.c
PLOT_GEN_OBJ := $(BUILD)/obj/gen/plot_scripts.o

$(PLOT_GEN_C): plots/embed.sh $(PLOT_GP)
	@mkdir -p $(@D)
	sh plots/embed.sh $@ $(PLOT_GP)

$(PLOT_GEN_OBJ): $(PLOT_GEN_C)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(PLOT_GEN_OBJ)
-include $(PLOT_GEN_OBJ:.o=.d)
# ---- end of charts ------------------------------------------------------------------

# ---- the what-if page ----------------------------------------------------------------
# web/* (the page of `funnelsim serve`) is built into the program by
# scripts/embed-web.sh, as the gnuplot scripts are: a generated C file of
# bytes, linked into the binary next to cli/serve_page.c.  The tests link
# cli/serve_page.o and the page too (test_serve_page.c calls them directly).

$(WEB_GEN_C): scripts/embed-web.sh $(WEB_FILES)
	@mkdir -p $(@D)
	sh scripts/embed-web.sh $@ $(WEB_FILES)

$(WEB_GEN_OBJ): $(WEB_GEN_C)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

-include $(WEB_GEN_OBJ:.o=.d)
# ---- end of the what-if page ----------------------------------------------------------

bench:
	@scripts/deps.sh build
	@$(MAKE) --no-print-directory $(BIN)
	scripts/bench.sh $(BIN)

# `make bench-serve`: the server under 50 clients on loopback for 60 s,
# each with its own random settings and 10 s between an answer and its
# next request (scripts/bench_serve.py; figures in docs/performance.md).
# Fails when a request fails or more than 20% are answered 503.
bench-serve:
	@scripts/deps.sh build
	@$(MAKE) --no-print-directory $(BIN)
	python3 scripts/bench_serve.py $(BIN) scenarios/default.json

# `make bench-compare BASE=path/to/old/funnelsim`: is this tree slower?
# Benchmarks 1 and 2 with BASE and this build alternated ROUNDS (10) times;
# the median ratio of leads per second, new over old.
bench-compare:
	@test -n "$(BASE)" || { echo "make bench-compare: give BASE=path/to/old/funnelsim" >&2; exit 2; }
	@scripts/deps.sh build
	@$(MAKE) --no-print-directory $(BIN)
	scripts/bench-compare.sh $(BASE) $(BIN)

# Sanitizer build in its own directory.  It runs ASAN_TESTS: the fast tier
# plus the charts and the hardening tests, a few seconds each under ASan;
# the Chromium report test is left to `make test` (ASAN_TESTS='*' runs all).
asan:
	@CC='$(CC)' scripts/deps.sh build test plot
	@$(MAKE) --no-print-directory $(PARALLEL) BUILD=build-asan OPT='-O1 -g' \
	    EXTRA_CFLAGS='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
	    EXTRA_LDFLAGS='-fsanitize=address,undefined' build-asan/funnelsim-tests
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 LSAN_OPTIONS=suppressions=tests/lsan.supp UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    build-asan/funnelsim-tests --filter='$(ASAN_TESTS)' $(TEST_ARGS)

# ---- fuzzing ------------------------------------------------------------------
# Four libFuzzer targets, built with clang-14 and ASan + UBSan in
# build-fuzz/, each run for FUZZ_SECONDS:
#   fuzz_scenario  the scenario loader and the --set path parser
#                  (fuzz/fuzz_scenario.c); seeds from scenarios/ and
#                  tests/bad/;
#   fuzz_plot      what the charts and the report read: the result files
#                  and the result directory's name (fuzz/fuzz_plot.c),
#                  loaded and written by plot_dir() without gnuplot; seeds
#                  are real result files, written by $(BIN) from shipped
#                  scenarios into a temporary directory;
#   fuzz_serve     the server's request path, serve_handle() without a
#                  socket (fuzz/fuzz_serve.c); seeds written below;
#   fuzz_import    import's row parser over a CRM export in memory
#                  (fuzz/fuzz_import.c); seeds: tests/import's fixtures,
#                  each behind an options byte (written below).
# The seed corpora are made at run time (fuzz/seed.sh); what the fuzzer
# finds is kept in build-fuzz/corpus, corpus-plot and corpus-serve between
# runs.  Any crash, leak, sanitizer report or input slower than
# FUZZ_TIMEOUT seconds fails the target, and `make fuzz` with it, and
# leaves the input in build-fuzz/artifacts/ (fuzz_plot's named plot-*).
FUZZ_SECONDS ?= 60
FUZZ_TIMEOUT ?= 10
FUZZ_CC      ?= clang-14
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_FLAGS    = -max_total_time=$(FUZZ_SECONDS) -timeout=$(FUZZ_TIMEOUT) -max_len=65536 \
                -rss_limit_mb=2048 -print_final_stats=1

$(BUILD)/fuzz_%: fuzz/fuzz_%.c $(LIB)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< $(LIB) $(ALL_LIBS)

# The server's request path is in cli/: its target links the program's
# objects but main's, and the page's embedded files.
SERVE_FUZZ_OBJ = $(filter-out %/main.o,$(CLI_OBJ)) $(WEB_GEN_OBJ)
$(BUILD)/fuzz_serve: fuzz/fuzz_serve.c $(SERVE_FUZZ_OBJ) $(LIB)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< $(SERVE_FUZZ_OBJ) $(LIB) $(ALL_LIBS)

# fuzz_serve's seeds: requests as fuzz_serve.c reads them (parts split by
# NULs), one per route, with the token and Host that pass.
comma := ,
SERVE_SEED_HEAD = 127.0.0.1:8080 '' '' 'Bearer 0123456789abcdef0123456789abcdef'
define serve_seed
printf '%s\0' $(2) > build-fuzz/seed-serve/$(1) && printf '%s' '$(3)' >> build-fuzz/seed-serve/$(1)
endef

fuzz:
	@scripts/deps.sh build fuzz
	@$(MAKE) --no-print-directory $(BIN)
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=$(FUZZ_CC) OPT='-O1 -g' \
	    EXTRA_CFLAGS='-fsanitize=fuzzer-no-link $(FUZZ_SAN)' \
	    EXTRA_LDFLAGS='$(FUZZ_SAN)' build-fuzz/fuzz_scenario build-fuzz/fuzz_plot \
	    build-fuzz/fuzz_serve build-fuzz/fuzz_import
	@mkdir -p build-fuzz/corpus build-fuzz/corpus-plot build-fuzz/artifacts
	@n=$$(fuzz/seed.sh build-fuzz/seed) && echo "fuzz_scenario: seed corpus: $$n files"
	build-fuzz/fuzz_scenario $(FUZZ_FLAGS) -dict=fuzz/fuzz.dict \
	    -artifact_prefix=build-fuzz/artifacts/ build-fuzz/corpus build-fuzz/seed
	@n=$$(fuzz/seed.sh --plot $(BIN) build-fuzz/seed-plot) && \
	    echo "fuzz_plot: seed corpus: $$n files"
	build-fuzz/fuzz_plot $(FUZZ_FLAGS) -dict=fuzz/fuzz_plot.dict \
	    -artifact_prefix=build-fuzz/artifacts/plot- build-fuzz/corpus-plot build-fuzz/seed-plot
	@mkdir -p build-fuzz/corpus-serve build-fuzz/seed-serve
	@$(call serve_seed,run,POST /api/run '' $(SERVE_SEED_HEAD),{"set": {"team[1].count": 7$(comma) "replications": 1}})
	@$(call serve_seed,bad,POST /api/run '' $(SERVE_SEED_HEAD),{"set": {"team[1].cuont": 7}})
	@$(call serve_seed,sweep,POST /api/sweep '' $(SERVE_SEED_HEAD),{"vary": "team[1].count"$(comma) "from": 4$(comma) "to": 8$(comma) "steps": 3})
	@$(call serve_seed,scenario,POST /api/scenario '' $(SERVE_SEED_HEAD),{"set": {"seed": 3}})
	@$(call serve_seed,meta,GET /api/meta '' $(SERVE_SEED_HEAD),)
	@$(call serve_seed,token,GET / 0123456789abcdef0123456789abcdef 127.0.0.1:8080,)
	@$(call serve_seed,page,GET /assets/../x '' 127.0.0.1:8080 '' 'funnelsim_token=0123456789abcdef0123456789abcdef',)
	build-fuzz/fuzz_serve $(FUZZ_FLAGS) -dict=fuzz/fuzz_serve.dict \
	    -artifact_prefix=build-fuzz/artifacts/serve- build-fuzz/corpus-serve build-fuzz/seed-serve
	@$(MAKE) --no-print-directory fuzz-import-run

# fuzz_import alone (built as `make fuzz` builds it): its seeds are the
# fixtures of tests/import behind an options byte (fuzz/fuzz_import.c):
# 0 (all detected), 040 (the Cyrillic map) for the UTF-8 Cyrillic file,
# 050 (that map in cp1251) for the cp1251 one, 004 (+03:00) for offsets.
fuzz-import:
	@scripts/deps.sh build fuzz
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=$(FUZZ_CC) OPT='-O1 -g' \
	    EXTRA_CFLAGS='-fsanitize=fuzzer-no-link $(FUZZ_SAN)' \
	    EXTRA_LDFLAGS='$(FUZZ_SAN)' build-fuzz/fuzz_import
	@$(MAKE) --no-print-directory fuzz-import-run

fuzz-import-run:
	@mkdir -p build-fuzz/corpus-import build-fuzz/seed-import build-fuzz/artifacts
	@for f in tests/import/*.csv tests/import/*.tsv; do \
	    b=$$(basename $$f); o='\000'; \
	    case $$b in cyrillic_utf8.csv) o='\040';; cp1251.csv) o='\051';; \
	        iso_offset.csv) o='\004';; esac; \
	    { printf "$$o"; cat $$f; } > build-fuzz/seed-import/$$b; done
	build-fuzz/fuzz_import $(FUZZ_FLAGS) \
	    -artifact_prefix=build-fuzz/artifacts/import- build-fuzz/corpus-import build-fuzz/seed-import

# ---- valgrind -------------------------------------------------------------------
# Memcheck on a short run of every shipped scenario: no error, no leak.
valgrind:
	@scripts/deps.sh build check
	@$(MAKE) --no-print-directory $(BIN)
	scripts/valgrind.sh $(BIN)

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/scenarios $(DESTDIR)$(DATADIR)/plots
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/funnelsim
	install -m 644 scenarios/*.json $(DESTDIR)$(DATADIR)/scenarios/
	if ls plots/*.gp >/dev/null 2>&1; then install -m 644 plots/*.gp $(DESTDIR)$(DATADIR)/plots/; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/funnelsim
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-asan build-fuzz build-clang

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d)
