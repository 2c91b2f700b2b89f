-- resty.luasocket.load: load(modname), the function behind
-- resty.luasocket.load(). It runs an unmodified lua-resty module, and every
-- module that module requires, in one environment of their own whose `ngx`
-- is resty.luasocket.ngx, so that their ngx.socket.tcp() is this library's:
-- a cosocket where the phase has them, a native socket elsewhere and in
-- plain Lua.
--
-- One environment per Lua state: load("a") and load("b") share it, and a
-- module that both require is loaded once. A module found on package.path
-- runs in the environment; C modules, preloaded ones and this library's
-- own go through the real require. package.loaded and _G are never
-- changed: require(modname) elsewhere still loads the module as it is.
--
-- Inside nginx the environment's `coroutine` works in every phase: where
-- the phase has cosockets it calls ngx_lua's coroutine API, elsewhere (init,
-- init_worker, set, log, ...), where ngx_lua disables that API, Lua's own
-- (ngx_lua keeps them as coroutine._create, _resume, ...). The choice is
-- made at each call, so a module loaded in init_worker still gets ngx_lua's
-- coroutines in content.

local socket = require "resty.luasocket"
local native = require "resty.luasocket.native"

local type, error, pcall, require, setmetatable, tostring, rawget, pairs =
  type, error, pcall, require, setmetatable, tostring, rawget, pairs
local loadfile, setfenv = loadfile, setfenv -- setfenv: nil on 5.2+
local concat = table.concat
local package = package

local in_nginx = socket.in_nginx

local searchpath = package.searchpath or function(name, path)
  -- Lua 5.1 has no package.searchpath
  local file = name:gsub("%.", "/")
  local tried = {}
  for template in path:gmatch("[^;]+") do
    local candidate = template:gsub("%?", file)
    local f = io.open(candidate, "r")
    if f then
      f:close()
      return candidate
    end
    tried[#tried + 1] = "\n\tno file '" .. candidate .. "'"
  end
  return nil, concat(tried)
end

-- this library's modules: one instance, whoever requires them
local function ours(name)
  return name == "resty.luasocket" or name:find("^resty%.luasocket%.") ~= nil
end

-- lua-resty-core's modules (resty.core*, ngx.*): they bind ngx_lua's C API
-- and belong to nginx's own Lua state, never to a copy
local function resty_core(name)
  return name == "resty.core" or name:find("^resty%.core%.") ~= nil
         or name:find("^ngx%.") ~= nil
end

-- ---- the environment's coroutine (inside nginx) ---------------------------

local function nginx_coroutine()
  local ngx_co = coroutine -- ngx_lua's, which it disables in some phases
  local has_cosockets = socket.has_cosockets
  local running = ngx_co.running
  local made = setmetatable({}, {__mode = "k"}) -- coroutines we made

  local function pick(name)
    local std, theirs = ngx_co["_" .. name] or ngx_co[name], ngx_co[name]
    return function(...)
      if has_cosockets() then
        return theirs(...)
      end
      return std(...)
    end
  end

  local co = {
    resume = pick("resume"),
    yield = pick("yield"),
    status = pick("status"),
    running = running,
  }
  local create, wrap = pick("create"), pick("wrap")

  function co.create(f)
    local thread = create(f)
    made[thread] = true
    return thread
  end

  function co.wrap(f)
    return wrap(function(...)
      made[running()] = true
      return f(...)
    end)
  end

  -- LuaJIT in nginx has no isyieldable: a coroutine made here can yield
  function co.isyieldable()
    local thread = running()
    return thread ~= nil and made[thread] == true
  end

  return co
end

-- ---- the environment --------------------------------------------------------

local env_loaded = {} -- modname -> what the module returned, in env
local LOADING = {}    -- env_loaded's mark of a module being run
local env = setmetatable({unpack = unpack or table.unpack},
                         {__index = _G})
if in_nginx then
  env.coroutine = nginx_coroutine()
elseif not coroutine.isyieldable then
  -- Lua 5.1 and 5.2 have no isyieldable; clients written for LuaJIT may
  -- call it. running() is nil in 5.1's main thread; 5.2 says it is main.
  local co = {}
  for k, v in pairs(coroutine) do
    co[k] = v
  end
  local running = coroutine.running
  function co.isyieldable()
    local thread, main = running()
    return thread ~= nil and not main
  end
  env.coroutine = co
end

-- runs the module at path in env; level: where errors point
local function run(name, path, level)
  local chunk, err
  if setfenv then
    chunk, err = loadfile(path)
    if chunk then
      setfenv(chunk, env)
    end
  else
    chunk, err = loadfile(path, "bt", env)
  end
  if not chunk then
    error("error loading module '" .. name .. "' from file '" .. path
          .. "':\n\t" .. err, level + 1)
  end
  env_loaded[name] = LOADING
  local ok, mod = pcall(chunk, name, path)
  if not ok then
    env_loaded[name] = nil -- a later require may try again
    error(mod, 0)
  end
  if mod == nil then
    mod = true
  end
  env_loaded[name] = mod
  return mod
end

-- the modules a loaded module requires; those of other kinds (C modules,
-- preloaded ones, LuaJIT's builtins) come from the real require
local function env_require(name)
  if type(name) ~= "string" then
    error("bad argument #1 to 'require' (string expected, got " .. type(name)
          .. ")", 2)
  end
  local mod = env_loaded[name]
  if mod == LOADING then
    error("loop or previous error loading module '" .. name .. "'", 2)
  elseif mod ~= nil then
    return mod
  end
  if ours(name) then
    return require(name)
  end
  if resty_core(name) then
    if in_nginx then
      return require(name)
    end
    error("module '" .. name .. "' is lua-resty-core's, which needs nginx"
          .. " (resty.luasocket.load in plain Lua)", 2)
  end
  local path = not package.preload[name] and searchpath(name, package.path)
  if path then
    return run(name, path, 2)
  end
  if name == "bit" then
    -- LuaJIT's bit, or LuaBitOp where installed; else our own
    local ok, bit = pcall(require, name)
    env_loaded[name] = ok and bit or native.bit
    return env_loaded[name]
  end
  return require(name)
end
env.require = env_require

-- the ngx of the environment, made on first use: in plain Lua its parts
-- (ngx.re, the codecs) are loaded only when a module is
local function load(modname, level)
  if type(modname) ~= "string" then
    error("bad argument #1 to 'load' (string expected, got " .. type(modname)
          .. ")", level)
  end
  local mod = env_loaded[modname]
  if mod == LOADING then
    error("loop or previous error loading module '" .. modname .. "'", level)
  elseif mod ~= nil then
    return mod
  end
  local path, err = searchpath(modname, package.path)
  if not path then
    -- 5.4's message lacks the leading "\n\t" of the others
    error("module '" .. modname .. "' not found:"
          .. (err:find("^\n") and "" or "\n\t") .. tostring(err), level)
  end
  if rawget(env, "ngx") == nil then -- not _G's, inside nginx
    env.ngx = require "resty.luasocket.ngx"
  end
  return run(modname, path, level)
end

return load
