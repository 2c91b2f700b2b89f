-- The release rockspec of 0.1.0. `make dist` packs it with the release
-- tarball into a source rock, which `luarocks install` builds on the
-- user's machine. The build is the project's Makefile (`make module`, then
-- `make install` into luarocks' folders), with each interpreter's objects
-- in a folder of its own.
rockspec_format = "3.0"
package = "lua-resty-luasocket"
version = "0.1.0-1"

source = {
  -- the release tarball, which travels inside the source rock that `make
  -- dist` builds (dist/lua-resty-luasocket-0.1.0-1.src.rock)
  url = "lua-resty-luasocket-0.1.0.tar.gz",
  dir = "lua-resty-luasocket-0.1.0",
}

description = {
  summary = "OpenResty's cosocket API everywhere: real cosockets where nginx has them, a native socket elsewhere",
  detailed = [[
resty.luasocket gives lua-resty library authors one socket API: inside
OpenResty, in a phase with cosockets, the real ngx.socket.tcp(); in the other
phases (init, init_worker, set, filters, log, ...) and in plain Lua 5.1-5.4 or
LuaJIT, a native blocking socket written in C with the same methods, return
values and error strings, a keepalive pool and TLS through OpenSSL.
]],
  license = "MIT",
}

dependencies = {
  "lua >= 5.1, < 5.5",
}

external_dependencies = {
  OPENSSL = { header = "openssl/ssl.h", library = "ssl" },
  PCRE2 = { header = "pcre2.h", library = "pcre2-8" },
}

build = {
  type = "make",
  build_target = "module",
  build_variables = {
    CC = "$(CC)",
    CFLAGS = "$(CFLAGS)",
    LIBFLAG = "$(LIBFLAG)",
    LUA = "$(LUA)",
    LUA_INCDIR = "$(LUA_INCDIR)",
    OPENSSL_INCDIR = "$(OPENSSL_INCDIR)",
    OPENSSL_LIBDIR = "$(OPENSSL_LIBDIR)",
    PCRE2_INCDIR = "$(PCRE2_INCDIR)",
    PCRE2_LIBDIR = "$(PCRE2_LIBDIR)",
    BUILD = "build/luarocks",
  },
  install_target = "install",
  install_variables = {
    CC = "$(CC)",
    CFLAGS = "$(CFLAGS)",
    LIBFLAG = "$(LIBFLAG)",
    LUA = "$(LUA)",
    LUA_INCDIR = "$(LUA_INCDIR)",
    OPENSSL_INCDIR = "$(OPENSSL_INCDIR)",
    OPENSSL_LIBDIR = "$(OPENSSL_LIBDIR)",
    PCRE2_INCDIR = "$(PCRE2_INCDIR)",
    PCRE2_LIBDIR = "$(PCRE2_LIBDIR)",
    BUILD = "build/luarocks",
    LUADIR = "$(LUADIR)",
    LIBDIR = "$(LIBDIR)",
  },
}
