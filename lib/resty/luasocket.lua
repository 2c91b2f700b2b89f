-- resty.luasocket: the socket that works here.
--
-- Inside nginx, in a phase that has cosockets, tcp() returns ngx_lua's own
-- ngx.socket.tcp(), untouched. Everywhere else (init, init_worker, set, the
-- filters, log, ..., and plain Lua) it returns a native blocking socket from
-- resty.luasocket.native with the same API.

local native = require "resty.luasocket.native"

local type, error, pcall, select = type, error, pcall, select
local native_tcp = native.tcp
local native_udp = native.udp -- nil until the C module has UDP

local _M = {
  _VERSION = "0.1.0",
  luasocket_mt = native.tcp_mt,
}

-- ngx_lua's constructors take no argument and say so; we do the same in
-- every context, so that a call that fails in nginx fails in plain Lua too.
local function check_no_args(n)
  if n ~= 0 then
    error("expecting zero arguments, but got " .. n, 3)
  end
end

local function no_native_udp(where)
  error("resty.luasocket: no native UDP socket in this build, and "
        .. where .. " has no cosockets", 3)
end

-- per-phase overrides; outside nginx there are no phases and they are unused
local forced = {}   -- phase -> true: native socket even with cosockets
local disabled = {} -- phase -> true: always ngx.socket.*, never native

local ngx = ngx -- nil in plain Lua
local in_nginx = type(ngx) == "table" and type(ngx.get_phase) == "function"
                 and type(ngx.socket) == "table"

if not in_nginx then
  function _M.tcp(...)
    check_no_args(select("#", ...))
    return native_tcp()
  end

  function _M.udp(...)
    check_no_args(select("#", ...))
    if not native_udp then
      no_native_udp("plain Lua")
    end
    return native_udp()
  end

else
  local get_phase, log, WARN, INFO = ngx.get_phase, ngx.log, ngx.WARN, ngx.INFO
  -- taken now, so that code which later replaces ngx.socket.tcp with our
  -- tcp() (to run unmodified clients) cannot make us call ourselves
  local co_tcp, co_udp = ngx.socket.tcp, ngx.socket.udp

  -- phase -> whether ngx_lua let us create a cosocket there; learnt by the
  -- first call in each phase, since the set of phases differs between builds
  local has_cosockets = {}

  -- nginx caches its clock and refreshes it only between events; a native
  -- socket blocks the worker, so the C module refreshes it after each wait
  native.set_clock_hook(ngx.update_time)

  -- returns a cosocket made by new(), or nil when this phase gets a native
  -- socket; errors of new() in a phase where cosockets are expected propagate
  local function cosocket(phase, new)
    if disabled[phase] then
      return new()
    end
    if forced[phase] then
      return nil
    end
    local known = has_cosockets[phase]
    if known then
      return new()
    end
    if known == nil then
      local ok, sock = pcall(new)
      has_cosockets[phase] = ok
      if ok then
        return sock
      end
    end
    return nil
  end

  -- init is where blocking is expected (configuration loading): no line there
  local function note_native(phase)
    if phase == "init" then
      return
    end
    if forced[phase] then
      log(INFO, "resty.luasocket forced in phase ", phase,
          ", using a blocking socket")
    else
      log(WARN, "cosockets unavailable in phase ", phase,
          ", using a blocking socket")
    end
  end

  function _M.tcp(...)
    check_no_args(select("#", ...))
    local phase = get_phase()
    local sock = cosocket(phase, co_tcp)
    if sock then
      return sock
    end
    note_native(phase)
    return native_tcp()
  end

  function _M.udp(...)
    check_no_args(select("#", ...))
    local phase = get_phase()
    local sock = cosocket(phase, co_udp)
    if sock then
      return sock
    end
    if not native_udp then
      no_native_udp("phase " .. phase)
    end
    note_native(phase)
    return native_udp()
  end
end

_M.stream = _M.tcp

local tcp = _M.tcp

function _M.connect(...)
  local sock = tcp()
  local ok, err = sock:connect(...)
  if not ok then
    return nil, err
  end
  return sock
end

-- load(modname): an unmodified lua-resty module whose `ngx.socket.tcp` is
-- this library's tcp(), so that it runs where ngx_lua has no cosockets and
-- in plain Lua:
--
--   local redis = require("resty.luasocket").load("resty.redis")
--   local red = redis:new()   -- cosocket or native socket, as tcp() decides
--
-- The module is found with package.searchpath on package.path and run in an
-- environment of its own whose `ngx` is:
-- * inside nginx, a proxy of the real ngx: `socket` is {tcp, stream, udp,
--   connect} of this library (other ngx.socket fields are ngx_lua's); every
--   other field is read from the real ngx, and assignments (ngx.status,
--   ngx.ctx, ...) go to it as well: load() itself never changes the real ngx;
-- * in plain Lua, a shim with what lua-resty clients use: `socket` as above,
--   `null` (a NULL light userdata, as ngx.null), `now`, `sleep`, `time`,
--   `update_time` (does nothing), `escape_uri` / `unescape_uri` (ngx_lua's
--   encoding), `log` and the level constants STDERR .. DEBUG. `ngx.log`
--   writes `[level] [lua] file:line: message` to stderr for ngx.ERR and more
--   severe levels (nginx's default error_log level) and drops the rest.
--   Any other field is nil.
-- Every other global is read from _G; on Lua 5.3/5.4 the environment also
-- has `unpack` (= table.unpack), which lua-resty modules, written for
-- LuaJIT, take as a global. Globals the module sets stay in its environment.
-- Only the named module gets this environment: the modules it requires are
-- loaded by require as usual. The result (true if the module returns
-- nothing, as with require) is cached per modname here: a second load returns
-- the same table. package.loaded is not touched, so require(modname) still
-- loads the module as it is.
local loaded = {}   -- modname -> what the module returned
local module_ngx    -- the `ngx` of their environments, made on first use

local setmetatable, tostring, tonumber = setmetatable, tostring, tonumber
local loadfile, setfenv = loadfile, setfenv -- setfenv: nil on 5.2+
local format, char, concat = string.format, string.char, table.concat

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

-- the bytes ngx_lua's escape_uri turns into %XX (uppercase hex): all but
-- those listed; type 2 (the default) is for a URI component, type 0 for a
-- whole URI (ngx_lua's other types are not here: they raise an error)
local hex = {}
for i = 0, 255 do
  hex[char(i)] = format("%%%02X", i)
end
local escape_class = {
  [0] = "[^!\"$&->@-~]",
  [2] = "[^0-9A-Za-z%-._~!'()*]",
}

local function as_string(s)
  if type(s) == "string" then
    return s
  end
  return s and tostring(s) or ""
end

local function escape_uri(s, kind)
  if kind == nil then
    kind = 2
  elseif type(kind) ~= "number" then
    error('"type" is not a number', 2)
  end
  local class = escape_class[kind]
  if not class then
    error("escape_uri type " .. kind .. " is not supported outside nginx"
          .. " (0 and 2 are)", 2)
  end
  return (as_string(s):gsub(class, hex))
end

local function unhex(h)
  return char(tonumber(h, 16))
end

local function unescape_uri(s)
  return ((as_string(s):gsub("+", " "):gsub("%%(%x%x)", unhex)))
end

local levels = {"STDERR", "EMERG", "ALERT", "CRIT", "ERR", "WARN", "NOTICE",
                "INFO", "DEBUG"}
local level_names = {"stderr", "emerg", "alert", "crit", "error", "warn",
                     "notice", "info", "debug"}
local LOG_MAX = 4 -- ngx.ERR

local function log(level, ...)
  if type(level) ~= "number" then
    error("bad argument #1 to 'log' (number expected, got " .. type(level)
          .. ")", 2)
  end
  if level > LOG_MAX then
    return
  end
  local parts = {}
  for i = 1, select("#", ...) do
    parts[i] = tostring((select(i, ...)))
  end
  local where = debug.getinfo(2, "Sl")
  local src = where and where.short_src:match("[^/]*$") or "?"
  io.stderr:write("[", level_names[level + 1] or "?", "] [lua] ", src, ":",
                  where and where.currentline or 0, ": ", concat(parts), "\n")
end

local function make_module_ngx()
  local socket = {tcp = _M.tcp, stream = _M.stream, udp = _M.udp,
                  connect = _M.connect}
  if in_nginx then
    setmetatable(socket, {__index = ngx.socket})
    return setmetatable({socket = socket}, {__index = ngx, __newindex = ngx})
  end
  local shim = {
    socket = socket,
    null = native.null,
    now = native.now,
    sleep = native.sleep,
    time = os.time,
    update_time = function() end,
    escape_uri = escape_uri,
    unescape_uri = unescape_uri,
    log = log,
  }
  for i, name in ipairs(levels) do
    shim[name] = i - 1
  end
  return shim
end

function _M.load(modname)
  if type(modname) ~= "string" then
    error("bad argument #1 to 'load' (string expected, got " .. type(modname)
          .. ")", 2)
  end
  local mod = loaded[modname]
  if mod ~= nil then
    return mod
  end
  local path, err = searchpath(modname, package.path)
  if not path then
    -- 5.4's message lacks the leading "\n\t" of the others
    error("module '" .. modname .. "' not found:"
          .. (err:find("^\n") and "" or "\n\t") .. err, 2)
  end
  module_ngx = module_ngx or make_module_ngx()
  local env = setmetatable({ngx = module_ngx, unpack = unpack or table.unpack},
                           {__index = _G})
  local chunk
  if setfenv then
    chunk, err = loadfile(path)
    if chunk then
      setfenv(chunk, env)
    end
  else
    chunk, err = loadfile(path, "bt", env)
  end
  if not chunk then
    error("error loading module '" .. modname .. "' from file '" .. path
          .. "':\n\t" .. err, 2)
  end
  mod = chunk(modname, path)
  if mod == nil then
    mod = true
  end
  loaded[modname] = mod
  return mod
end

-- TLS defaults of native sockets (cosockets take theirs from nginx's
-- lua_ssl_* directives). Every key is optional; unset ones keep the built-in
-- default: the system CA bundle, TLS 1.2 and above, OpenSSL's ciphers and
-- verify depth, no client certificate.
local tls_keys = {
  cafile = "string", capath = "string",             -- trusted CAs
  min_protocol = "string", max_protocol = "string", -- "TLSv1" .. "TLSv1.3"
  ciphers = "string", ciphersuites = "string",      -- TLS 1.2 / TLS 1.3
  depth = "number",                                 -- verify depth
  certificate = "string", key = "string",           -- client cert (PEM files)
}
local tls_defaults = {}
local pairs = pairs
local set_tls_defaults = native.set_tls_defaults

-- the values are strings and numbers: a copy of the table is a deep copy
local function copy(t)
  local c = {}
  for k, v in pairs(t) do
    c[k] = v
  end
  return c
end

function _M.get_luasec_defaults()
  return copy(tls_defaults)
end

-- replaces the defaults (keys left out go back to the built-in ones);
-- true, or nil and why OpenSSL refused them (the old defaults then stay)
function _M.set_luasec_defaults(t)
  if type(t) ~= "table" then
    error("bad argument #1 to 'set_luasec_defaults' (table expected, got "
          .. type(t) .. ")", 2)
  end
  for k, v in pairs(t) do
    local want = tls_keys[k]
    if not want then
      error("bad argument #1 to 'set_luasec_defaults' (unknown key '"
            .. tostring(k) .. "')", 2)
    end
    if type(v) ~= want then
      error("bad argument #1 to 'set_luasec_defaults' (" .. k .. ": " .. want
            .. " expected, got " .. type(v) .. ")", 2)
    end
  end
  local new = copy(t)
  local ok, err = set_tls_defaults(new)
  if not ok then
    return nil, err
  end
  tls_defaults = new
  return true
end

-- the read size of the native sockets made from now on (cosockets keep
-- nginx's lua_socket_buffer_size): 512 bytes to 64 MiB, default 16 KiB
_M.set_buffer_size = native.set_buffer_size

-- both return the previous setting, so that a caller can restore it:
--   local old = socket.force_luasocket("timer", true) ... (old)
function _M.force_luasocket(phase, on)
  if type(phase) ~= "string" then
    error("bad argument #1 to 'force_luasocket' (string expected, got "
          .. type(phase) .. ")", 2)
  end
  local old = forced[phase] == true
  forced[phase] = on and true or nil
  return old
end

function _M.disable_luasocket(phase, on)
  if type(phase) ~= "string" then
    error("bad argument #1 to 'disable_luasocket' (string expected, got "
          .. type(phase) .. ")", 2)
  end
  local old = disabled[phase] == true
  disabled[phase] = on and true or nil
  return old
end

return _M
