-- The release version lives in lib/resty/luasocket.lua (_VERSION) only;
-- this is the development rockspec. The build is the project's Makefile.
rockspec_format = "3.0"
package = "lua-resty-luasocket"
version = "scm-1"

source = {
  url = "git+https://github.com/OWNER/lua-resty-luasocket.git",
}

description = {
  summary = "OpenResty's cosocket API everywhere: real cosockets where nginx has them, a native blocking socket elsewhere",
  detailed = [[
resty.luasocket gives lua-resty library authors one socket API: inside
OpenResty, in a phase with cosockets, the real ngx.socket.tcp(); in the other
phases (init, init_worker, set, filters, log, ...) and in plain Lua 5.1-5.4 or
LuaJIT, a native blocking socket written in C with the same methods, return
values and error strings. Also installed as resty.socket.
]],
  license = "MIT",
}

dependencies = {
  "lua >= 5.1, < 5.5",
}

build = {
  type = "make",
  -- `make module` builds build/$(LUA)/resty/luasocket/native.so; LUA only
  -- names the build directory here, the headers come from LUA_INCDIR
  build_target = "module",
  build_variables = {
    LUA = "luarocks",
    LUA_CFLAGS = "-I$(LUA_INCDIR)",
    CC = "$(CC)",
  },
  install_pass = false,
  install = {
    lua = {
      ["resty.luasocket"] = "lib/resty/luasocket.lua",
      ["resty.luasocket.fast"] = "lib/resty/luasocket/fast.lua",
      ["resty.luasocket.load"] = "lib/resty/luasocket/load.lua",
      ["resty.luasocket.ngx"] = "lib/resty/luasocket/ngx.lua",
      ["resty.luasocket.ngx.args"] = "lib/resty/luasocket/ngx/args.lua",
      ["resty.luasocket.ngx.const"] = "lib/resty/luasocket/ngx/const.lua",
      ["resty.luasocket.ngx.re"] = "lib/resty/luasocket/ngx/re.lua",
      ["resty.luasocket.ngx.time"] = "lib/resty/luasocket/ngx/time.lua",
      ["resty.socket"] = "lib/resty/socket.lua",
    },
    lib = {
      ["resty.luasocket.native"] = "build/luarocks/resty/luasocket/native.so",
    },
  },
}
