# funnelsim - a discrete-event simulator of a B2B sales funnel.
#
#   make demo    install missing packages, build, run the default scenario
#   make test    install missing packages, build, run every test
#   make bench   speed figures (leads/s, events/s, wall time, peak memory)
#   make asan    the test suite under AddressSanitizer + UBSan
#   make install PREFIX=/usr/local DESTDIR=

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/funnelsim
CC      ?= cc
OPT     ?= -O2 -g
WERROR  ?= -Werror
BUILD   ?= build

PKGS      := gsl libcjson
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

ALL_CFLAGS = $(OPT) $(WARN) $(DEFS) -I. $(PKG_CFLAGS) $(EXTRA_CFLAGS) $(CFLAGS)
ALL_LIBS   = $(PKG_LIBS) -lpthread -lm $(EXTRA_LDFLAGS) $(LDFLAGS)

LIB_SRC  := $(wildcard sim/*.c) $(wildcard models/*.c) $(wildcard plots/*.c)
CLI_SRC  := $(wildcard sim/cli/*.c)
TEST_SRC := $(wildcard tests/*.c)

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/obj/%.o)

BIN   := $(BUILD)/funnelsim
LIB   := $(BUILD)/libfunnelsim.a
TESTS := $(BUILD)/funnelsim-tests

.PHONY: all deps test demo bench asan install uninstall clean check-build

all: $(BIN)

deps:
	@scripts/deps.sh build test plot

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

$(LIB): $(LIB_OBJ)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(ALL_LIBS)

$(TESTS): $(TEST_OBJ) $(LIB) $(BIN)
	$(CC) $(ALL_CFLAGS) -o $@ $(TEST_OBJ) $(LIB) $(TEST_LIBS_PKG) $(ALL_LIBS)

# `make test` installs what is missing, then builds and runs every test.
# Criterion runs the tests in parallel processes and ends with its
# "Synthesis:" line.
test: deps
	@$(MAKE) --no-print-directory $(TESTS)
	$(TESTS) $(TEST_ARGS)

demo: deps
	@$(MAKE) --no-print-directory $(BIN)
	$(BIN) run scenarios/default.json

bench: deps
	@$(MAKE) --no-print-directory $(BIN)
	scripts/bench.sh $(BIN)

# Sanitizer build in its own directory; the whole suite runs under it.
asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan OPT='-O1 -g' \
	    EXTRA_CFLAGS='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
	    EXTRA_LDFLAGS='-fsanitize=address,undefined' build-asan/funnelsim-tests
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    build-asan/funnelsim-tests $(TEST_ARGS)

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/scenarios $(DESTDIR)$(DATADIR)/plots
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/funnelsim
	install -m 644 scenarios/*.json $(DESTDIR)$(DATADIR)/scenarios/
	if ls plots/*.gp >/dev/null 2>&1; then install -m 644 plots/*.gp $(DESTDIR)$(DATADIR)/plots/; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/funnelsim
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-asan

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d)
