# guild: one binary, built with GNU Make.
#   make          build ./guild (optimised)
#   make run      install what is missing, build, create guild.db (demo) if absent, serve on :8080
#   make test     install what is missing, build with ASan+UBSan, run every test
#   make bench    the performance table (not part of make test)
#   make check    banned-function scan
#   make ui       the browser tests alone (headless chromium)
#   make fuzz     the libFuzzer targets (tests/fuzz), FUZZ_SECONDS each (default 60); clang
#   make soak     mixed load from several roles on a live server, SOAK_SECONDS (default 600)
SHELL := /bin/bash
CC ?= gcc
PKGS := sqlite3 libevent libevent_pthreads jansson libsodium libzip xlsxwriter
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN := -std=c17 -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter -D_GNU_SOURCE
CFLAGS_COMMON = $(WARN) -Isrc -Ibuild/gen -I/usr/include/postgresql $(PKG_CFLAGS) -MMD -MP
LIBS = $(PKG_LIBS) -lpq -lunistring -lcsv -lnettle -lpthread -lm
SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
# the test build (build/san) also has the storage faults of src/store/db_fault.h
SAN_DEFS := -DGUILD_FAULTS

SRC := $(filter-out src/main.c,$(shell find src -name '*.c' | sort))
GEN := build/gen/isco_data.c build/gen/passwords_data.c
WEB_GEN := build/gen/web_assets.c
WEB_SRC := $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/vite.config.js web/package.json
REL_OBJ := $(patsubst %.c,build/rel/%.o,$(SRC) $(GEN) $(WEB_GEN))
SAN_OBJ := $(patsubst %.c,build/san/%.o,$(SRC) $(GEN) $(WEB_GEN))
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,build/san/tests/%,$(UNIT_SRC))
# libFuzzer targets: the same sources built by clang with coverage, ASan and UBSan (build/fuzz/)
FUZZ_CC := clang
FUZZ_SAN := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_OBJ := $(patsubst %.c,build/fuzz/%.o,$(SRC) $(GEN) $(WEB_GEN))
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(patsubst tests/fuzz/%.c,build/fuzz/tests/%,$(FUZZ_SRC))
FUZZ_SECONDS ?= 60
SOAK_SECONDS ?= 600

.PHONY: all run test bench check clean deps deps-test deps-bench unit api ui fuzz soak
all: guild

deps:
	@scripts/deps.sh build
deps-test:
	@scripts/deps.sh test
deps-bench:
	@scripts/deps.sh bench

build/gen/isco_data.c: data/isco08/isco08_code_title.csv scripts/isco_gen.sh
	@mkdir -p $(dir $@)
	scripts/isco_gen.sh $< > $@

# V=1 shows the full commands
Q := $(if $(V),,@)

build/gen/passwords_data.c: data/passwords/common-10k.txt scripts/passwords_gen.sh
	@mkdir -p $(dir $@)
	scripts/passwords_gen.sh $< > $@

# the browser interface: built with Vite (npm ci when needed) and embedded;
# without npm the table is empty and guild serves the API alone
build/web.stamp: $(WEB_SRC) web/package-lock.json scripts/web_build.sh
	@mkdir -p build
	scripts/web_build.sh
	@touch $@

$(WEB_GEN): build/web.stamp scripts/web_gen.sh
	@mkdir -p $(dir $@)
	scripts/web_gen.sh build/web-dist > $@.tmp && mv $@.tmp $@

build/rel/%.o: %.c | $(GEN)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS_COMMON) -O2 -g -c $< -o $@

build/san/%.o: %.c | $(GEN)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC san  $<")
	$(Q)$(CC) $(CFLAGS_COMMON) -O1 -g $(SAN) $(SAN_DEFS) -c $< -o $@

guild: $(REL_OBJ) build/rel/src/main.o
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) -o $@ $^ $(LIBS)

build/san/guild: $(SAN_OBJ) build/san/src/main.o
	@$(if $(Q),echo "  LD san  $@")
	$(Q)$(CC) $(SAN) -o $@ $^ $(LIBS)

build/fuzz/%.o: %.c | $(GEN)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC fuzz $<")
	$(Q)$(FUZZ_CC) $(CFLAGS_COMMON) -O1 -g $(FUZZ_SAN) -c $< -o $@

# the objects are kept (make would delete them as intermediates of the pattern rule)
.SECONDARY: $(FUZZ_OBJ)
build/fuzz/tests/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(FUZZ_OBJ)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD fuzz $@")
	$(Q)$(FUZZ_CC) $(CFLAGS_COMMON) -O1 -g $(subst fuzzer-no-link,fuzzer,$(FUZZ_SAN)) -o $@ $< $(FUZZ_OBJ) $(LIBS)

build/san/tests/%: tests/unit/%.c tests/unit/unit.h $(SAN_OBJ)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD san  $@")
	$(Q)$(CC) $(CFLAGS_COMMON) -O1 -g $(SAN) $(SAN_DEFS) -o $@ $< $(SAN_OBJ) $(LIBS) -lcmocka

run: deps
	@$(MAKE) --no-print-directory guild
	@if [ ! -f guild.db ]; then ./guild demo --db guild.db; fi
	@echo "guild: open http://127.0.0.1:8080/ (Ctrl-C stops)"
	./guild serve --db guild.db --port 8080

test: deps-test
	@$(MAKE) --no-print-directory build/san/guild $(UNIT_BIN) $(FUZZ_BIN)
	@scripts/test.sh

unit: build/san/guild $(UNIT_BIN)
	@scripts/test.sh unit

ui: build/san/guild
	@scripts/test.sh ui

check:
	@scripts/check.sh

# each fuzz target (or those FUZZ_TARGETS names, e.g. "csv http") for FUZZ_SECONDS
# (new inputs go to build/fuzz/corpus/, failing ones to build/fuzz/artifacts/)
fuzz: deps-test
	@$(MAKE) --no-print-directory $(FUZZ_BIN)
	@tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# SOAK_SECONDS of mixed reads and writes on a live release build (scripts/soak.sh)
soak: deps-test
	@$(MAKE) --no-print-directory guild
	@scripts/soak.sh $(SOAK_SECONDS)

bench: deps-bench
	@$(MAKE) --no-print-directory guild
	@bench/run.sh

clean:
	rm -rf build guild

-include $(shell find build -name '*.d' 2>/dev/null)
