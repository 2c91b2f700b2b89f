# One build description for everything: the C module per interpreter, the
# test peer, the C unit tests, and the test/demo entry points.
#
#   make                 build the module for the default interpreter
#   make LUA=lua5.1      build/lua5.1/resty/luasocket/native.so
#   make test            the whole suite (every installed interpreter)
#   make demo            talk to a local redis-server with the native socket

LUAS_KNOWN := luajit lua5.1 lua5.2 lua5.3 lua5.4
LUAS_FOUND := $(foreach l,$(LUAS_KNOWN),$(if $(shell command -v $(l) 2>/dev/null),$(l)))
LUA ?= $(firstword $(LUAS_FOUND))

# pkg-config module name of each interpreter's headers
PC_luajit := luajit
PC_lua5.1 := lua5.1
PC_lua5.2 := lua5.2
PC_lua5.3 := lua5.3
PC_lua5.4 := lua5.4
PC_lua    := lua
LUA_PC ?= $(or $(PC_$(LUA)),$(LUA))

CC ?= cc
OPT ?= -O2 -g
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS_ALL = -std=c99 -D_POSIX_C_SOURCE=200809L $(OPT) $(WARN) -fPIC \
             -fvisibility=hidden -pthread $(EXTRA_CFLAGS)
LDFLAGS_ALL = -pthread $(EXTRA_LDFLAGS) -ldl

CORE_SRC := $(wildcard src/core/*.c)
LUA_SRC  := $(wildcard src/lua/*.c)
HDRS     := $(wildcard src/core/*.h src/lua/*.h)

BUILD   := build
OUT     := $(BUILD)/$(LUA)
MODULE  := $(OUT)/resty/luasocket/native.so

LUA_CFLAGS ?= $(shell pkg-config --cflags $(LUA_PC))
SSL_CFLAGS ?= $(shell pkg-config --cflags openssl)
SSL_LIBS ?= $(shell pkg-config --libs openssl)
# PCRE2 (ngx.re of the plain-Lua ngx): everything that links src/core
PCRE_CFLAGS ?= $(shell pkg-config --cflags libpcre2-8)
PCRE_LIBS ?= $(shell pkg-config --libs libpcre2-8)

.PHONY: all module all-luas peer test test-c demo deps lint asan valgrind bench \
        fuzz clean print-luas print-lua

all: module

module: $(MODULE)

$(MODULE): $(CORE_SRC) $(LUA_SRC) $(HDRS) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(LUA_CFLAGS) $(SSL_CFLAGS) $(PCRE_CFLAGS) -Isrc \
	    -shared -o $@ $(CORE_SRC) $(LUA_SRC) $(LDFLAGS_ALL) $(SSL_LIBS) \
	    $(PCRE_LIBS)

all-luas:
	@for l in $(LUAS_FOUND); do $(MAKE) --no-print-directory LUA=$$l module || exit 1; done

# the scripted TCP/unix peer the tests talk to, and the TLS peer that sends
# what openssl s_server cannot (floods of KeyUpdate and ticket records)
peer: $(BUILD)/peer $(BUILD)/tls_peer
$(BUILD)/peer: tests/peer/peer.c tests/peer/clock.h Makefile
	@mkdir -p $(BUILD)
	$(CC) -std=c99 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(OPT) $(WARN) -o $@ $<
$(BUILD)/tls_peer: tests/peer/tls_peer.c tests/peer/clock.h Makefile
	@mkdir -p $(BUILD)
	$(CC) -std=c99 -D_POSIX_C_SOURCE=200809L $(OPT) $(WARN) $(SSL_CFLAGS) \
	    -o $@ $< $(SSL_LIBS)

# C unit tests of src/core: no Lua involved
TEST_C_SRC := $(wildcard tests/c/test_*.c)
TEST_C_BIN := $(patsubst tests/c/%.c,$(BUILD)/tests/%,$(TEST_C_SRC))
$(BUILD)/tests/%: tests/c/%.c $(CORE_SRC) $(HDRS) Makefile
	@mkdir -p $(dir $@)
	$(CC) -std=c99 -D_POSIX_C_SOURCE=200809L $(OPT) $(WARN) -pthread -Isrc \
	    $(SSL_CFLAGS) $(PCRE_CFLAGS) -o $@ $< $(CORE_SRC) $(SSL_LIBS) \
	    $(PCRE_LIBS)

test-c: $(TEST_C_BIN)

# the Debian packages of the build, the tests and the demo, when missing
deps:
	@bash tools/deps.sh

# the two entry points of the README: each installs what it needs first;
# the sub-make sees the interpreters that deps may just have installed
test: deps
	@$(MAKE) --no-print-directory all-luas peer test-c
	@LUAS="$$($(MAKE) -s --no-print-directory print-luas)" bash tests/run.sh

demo: deps
	@$(MAKE) --no-print-directory module
	@LUA_BIN=$$($(MAKE) -s --no-print-directory print-lua) sh demo/run.sh

# The spec suite against the module built with AddressSanitizer and
# UndefinedBehaviorSanitizer, the interpreter running with the ASan runtime
# preloaded (leaks are valgrind's job: the interpreters are not built for
# LeakSanitizer).
SAN_LUA ?= lua5.4
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
             -fno-omit-frame-pointer
asan: peer
	@$(MAKE) --no-print-directory module LUA=$(SAN_LUA) BUILD=build/asan \
	    OPT="-O1 -g" EXTRA_CFLAGS="$(SAN_FLAGS)" EXTRA_LDFLAGS="$(SAN_FLAGS)"
	LD_PRELOAD=$$($(CC) -print-file-name=libasan.so) \
	ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 SPEC_SCALE=16 \
	LUA_PATH="lib/?.lua;lib/?/init.lua;spec/?.lua;;" \
	LUA_CPATH="build/asan/$(SAN_LUA)/?.so;;" $(SAN_LUA) spec/run.lua

# The spec suite under valgrind memcheck: any error or definite leak fails.
# SPEC_SCALE=16 (here and under ASan): big inputs a sixteenth of their size.
# Suppressions (tests/valgrind.supp): PCRE2 JIT code's aligned over-reads.
VG_LUA ?= lua5.4
VG_SUPP := tests/valgrind.supp
valgrind: peer
	@$(MAKE) --no-print-directory module LUA=$(VG_LUA)
	SPEC_SCALE=16 LUA_PATH="lib/?.lua;lib/?/init.lua;spec/?.lua;;" \
	LUA_CPATH="build/$(VG_LUA)/?.so;;" \
	valgrind -q --leak-check=full --show-leak-kinds=definite \
	    --errors-for-leak-kinds=definite --error-exitcode=99 \
	    --suppressions=$(VG_SUPP) $(VG_LUA) spec/run.lua

# libFuzzer targets (fuzz/README.md): each built with clang, ASan and UBSan,
# then run for FUZZ_SECONDS on a scratch copy of its seed corpus, after its
# saved reproducers (fuzz/regress/). make fuzz [FUZZ_SECONDS=n]
FUZZ_TARGETS := until reads addr payload
FUZZ_SECONDS ?= 300
FUZZ_CC ?= clang
FUZZ_FLAGS := -std=c99 -D_POSIX_C_SOURCE=200809L -O1 -g $(WARN) \
              -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
              -fno-omit-frame-pointer -pthread -Isrc
LUA54_CFLAGS ?= $(shell pkg-config --cflags lua5.4)
LUA54_LIBS ?= $(shell pkg-config --libs lua5.4)

$(BUILD)/fuzz/payload: fuzz/payload.c src/lua/payload.c $(HDRS) Makefile
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(LUA54_CFLAGS) -o $@ fuzz/payload.c \
	    src/lua/payload.c $(LUA54_LIBS) -lm
$(BUILD)/fuzz/%: fuzz/%.c fuzz/stream.h $(CORE_SRC) $(HDRS) Makefile
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(SSL_CFLAGS) $(PCRE_CFLAGS) -o $@ $< \
	    $(CORE_SRC) $(SSL_LIBS) $(PCRE_LIBS)

fuzz: $(patsubst %,$(BUILD)/fuzz/%,$(FUZZ_TARGETS))
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_BUILD=$(BUILD)/fuzz \
	    sh fuzz/run.sh $(FUZZ_TARGETS)

# Benchmarks (not part of the test suite): make bench [QUICK=1]
BENCH_BINS := $(BUILD)/bench-server $(BUILD)/bench-client
$(BUILD)/bench-%: bench/%.c Makefile
	@mkdir -p $(BUILD)
	$(CC) -std=c99 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 $(WARN) -o $@ $<

bench: deps
	@$(MAKE) --no-print-directory all-luas $(BENCH_BINS)
	@QUICK=$(QUICK) LUAS="$$($(MAKE) -s --no-print-directory print-luas)" \
	    sh bench/run.sh

print-luas:
	@echo $(LUAS_FOUND)
print-lua:
	@echo $(LUA)

lint:
	sh tests/lint.sh

clean:
	rm -rf $(BUILD)
