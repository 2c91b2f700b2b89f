# One build description for everything: the C module per interpreter, the
# test peer, the C unit tests, and the test/demo entry points.
#
#   make                 build the module for the default interpreter
#   make LUA=lua5.1      build/lua5.1/resty/luasocket/native.so
#   make install         the Lua files and the module under PREFIX
#                        (/usr/local), in the interpreter's own folders
#                        (share/lua/5.x, lib/lua/5.x); DESTDIR for staging
#   make test            the whole suite (every installed interpreter)
#   make demo            talk to a local redis-server with the native socket
#
# The usual variables are honoured: CC, CFLAGS, CPPFLAGS, LDFLAGS; and
# where pkg-config cannot find a dependency, LUA_INCDIR, OPENSSL_INCDIR /
# OPENSSL_LIBDIR (or OPENSSL_DIR) and PCRE2_INCDIR / PCRE2_LIBDIR (or
# PCRE2_DIR). Warnings are errors only when WERROR=-Werror (make test and
# CI set it).

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
WERROR ?=
WARN := -Wall -Wextra $(WERROR) -Wshadow -Wstrict-prototypes \
        -Wmissing-prototypes
# Link-time optimisation wherever the compiler and its linker can do it
# (tried once per make on a two-line library): a receive or send goes
# through three files (tcp_ffi.c, conn.c, io.c), one concern each, and only
# the linker can inline across them (bench/: W1 about 10 % fewer
# instructions per round trip). LTO= turns it off.
ifeq ($(origin LTO),undefined)
LTO := $(shell d=$$(mktemp -d) && printf 'int f(void);\nint f(void) { return 0; }\n' >"$$d/t.c" && \
        for f in -flto=auto -flto; do \
            $(CC) $$f -fPIC -shared -o "$$d/t.so" "$$d/t.c" >/dev/null 2>&1 && { echo $$f; break; }; \
        done; rm -rf "$$d")
endif
# the user's CPPFLAGS and CFLAGS come last: theirs win (luarocks passes
# its CFLAGS, distributions their hardening flags)
CFLAGS_ALL = -std=c99 -D_POSIX_C_SOURCE=200809L $(OPT) $(WARN) -fPIC \
             -fvisibility=hidden -pthread $(LTO) $(EXTRA_CFLAGS) $(CPPFLAGS) \
             $(CFLAGS)
# LIBFLAG: how luarocks names "-shared"; the link optimises as the compile
LIBFLAG ?= -shared
LDFLAGS_ALL = -pthread $(if $(LTO),$(OPT) $(LTO)) $(EXTRA_LDFLAGS) $(LDFLAGS) -ldl

CORE_SRC := $(wildcard src/core/*.c)
LUA_SRC  := $(wildcard src/lua/*.c)
HDRS     := $(wildcard src/core/*.h src/lua/*.h)
LUA_FILES := $(shell find lib -name '*.lua')

BUILD   := build
# the build folder is the interpreter's name: LUA may be a path (luarocks
# passes its interpreter's)
OUT     := $(BUILD)/$(notdir $(LUA))
MODULE  := $(OUT)/resty/luasocket/native.so

# each dependency: pkg-config unless its folders are given
ifdef LUA_INCDIR
LUA_CFLAGS ?= -I$(LUA_INCDIR)
else
LUA_CFLAGS ?= $(shell pkg-config --cflags $(LUA_PC))
endif
ifdef OPENSSL_DIR
OPENSSL_INCDIR ?= $(OPENSSL_DIR)/include
OPENSSL_LIBDIR ?= $(OPENSSL_DIR)/lib
endif
ifdef OPENSSL_INCDIR
SSL_CFLAGS ?= -I$(OPENSSL_INCDIR)
SSL_LIBS ?= $(if $(OPENSSL_LIBDIR),-L$(OPENSSL_LIBDIR)) -lssl -lcrypto
else
SSL_CFLAGS ?= $(shell pkg-config --cflags openssl)
SSL_LIBS ?= $(shell pkg-config --libs openssl)
endif
# PCRE2 (ngx.re of the plain-Lua ngx): everything that links src/core
ifdef PCRE2_DIR
PCRE2_INCDIR ?= $(PCRE2_DIR)/include
PCRE2_LIBDIR ?= $(PCRE2_DIR)/lib
endif
ifdef PCRE2_INCDIR
PCRE_CFLAGS ?= -I$(PCRE2_INCDIR)
PCRE_LIBS ?= $(if $(PCRE2_LIBDIR),-L$(PCRE2_LIBDIR)) -lpcre2-8
else
PCRE_CFLAGS ?= $(shell pkg-config --cflags libpcre2-8)
PCRE_LIBS ?= $(shell pkg-config --libs libpcre2-8)
endif

# make install: the interpreter's version names its folders (luajit: 5.1)
LUA_VERSION ?= $(or $(patsubst lua%,%,$(filter lua5.%,$(notdir $(LUA)))),5.1)
PREFIX ?= /usr/local
LUADIR ?= $(PREFIX)/share/lua/$(LUA_VERSION)
LIBDIR ?= $(PREFIX)/lib/lua/$(LUA_VERSION)

.PHONY: all module install dist all-luas peer test test-c demo deps lint \
        asan valgrind bench bench-floor fuzz clean print-luas print-lua

all: module

module: $(MODULE)

$(MODULE): $(CORE_SRC) $(LUA_SRC) $(HDRS) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(LUA_CFLAGS) $(SSL_CFLAGS) $(PCRE_CFLAGS) -Isrc \
	    $(LIBFLAG) -o $@ $(CORE_SRC) $(LUA_SRC) $(LDFLAGS_ALL) $(SSL_LIBS) \
	    $(PCRE_LIBS)

# every file of lib/ keeps its path under LUADIR; luarocks calls this with
# its own LUADIR and LIBDIR
install: $(MODULE)
	@for f in $(LUA_FILES); do \
	    d="$(DESTDIR)$(LUADIR)/$$(dirname "$${f#lib/}")"; \
	    mkdir -p "$$d" && cp "$$f" "$$d/" || exit 1; \
	done
	mkdir -p "$(DESTDIR)$(LIBDIR)/resty/luasocket"
	cp $(MODULE) "$(DESTDIR)$(LIBDIR)/resty/luasocket/native.so"

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
# (the suite's own makes see WERROR in their environment)
test: deps
	@$(MAKE) --no-print-directory WERROR=-Werror all-luas peer test-c
	@WERROR=-Werror LUAS="$$($(MAKE) -s --no-print-directory print-luas)" \
	    bash tests/run.sh

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
	    OPT="-O1 -g" LTO= EXTRA_CFLAGS="$(SAN_FLAGS)" \
	    EXTRA_LDFLAGS="$(SAN_FLAGS)"
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
# Under LuaJIT, memcheck is told that code may change in anonymous memory
# (the JIT patches its traces in place).
VG_SMC = $(if $(filter luajit,$(VG_LUA)),--smc-check=all-non-file)
valgrind: peer
	@$(MAKE) --no-print-directory module LUA=$(VG_LUA)
	SPEC_SCALE=16 LUA_PATH="lib/?.lua;lib/?/init.lua;spec/?.lua;;" \
	LUA_CPATH="build/$(VG_LUA)/?.so;;" \
	valgrind -q --leak-check=full --show-leak-kinds=definite \
	    --errors-for-leak-kinds=definite --error-exitcode=99 $(VG_SMC) \
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
	@for l in $(LUAS_FOUND); do $(MAKE) --no-print-directory LUA=$$l bench-floor || exit 1; done
	@QUICK=$(QUICK) LUAS="$$($(MAKE) -s --no-print-directory print-luas)" \
	    sh bench/run.sh

# W3's floor (bench/floor.c): a module per interpreter, beside ours
bench-floor: $(OUT)/bench_floor.so
$(OUT)/bench_floor.so: bench/floor.c src/lua/compat.h Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(LUA_CFLAGS) -Isrc $(LIBFLAG) -o $@ $< $(LDFLAGS_ALL)

# The release: dist/NAME-VERSION.tar.gz (the tracked files of the working
# tree) and dist/NAME-VERSION-1.src.rock (that tarball and the release
# rockspec, as `luarocks pack` makes them), which `luarocks install` builds
# without fetching anything. VERSION is _VERSION of lib/resty/luasocket.lua.
VERSION := $(shell sed -n 's/^ *_VERSION = "\(.*\)",$$/\1/p' lib/resty/luasocket.lua)
DIST_NAME := lua-resty-luasocket-$(VERSION)
dist:
	@test -f $(DIST_NAME)-1.rockspec || { echo "no $(DIST_NAME)-1.rockspec"; exit 1; }
	@rm -rf dist && mkdir -p dist
	git ls-files -z | tar --null -T - --transform "s,^,$(DIST_NAME)/," \
	    -czf dist/$(DIST_NAME).tar.gz
	cp $(DIST_NAME)-1.rockspec dist/
	cd dist && zip -q $(DIST_NAME)-1.src.rock $(DIST_NAME)-1.rockspec \
	    $(DIST_NAME).tar.gz

print-luas:
	@echo $(LUAS_FOUND)
print-lua:
	@echo $(LUA)

lint:
	sh tests/lint.sh

clean:
	rm -rf $(BUILD) dist
