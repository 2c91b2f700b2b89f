-- resty.luasocket.ngx: the `ngx` of the modules that resty.luasocket's
-- load() runs, also for a user who would rather set a global `ngx` in a
-- plain-Lua script or test runner.
--
-- Inside nginx it is a proxy of the real ngx: `socket` is this library's
-- (so each tcp() still picks a cosocket or a native socket for the phase it
-- runs in) and `sleep` blocks where the phase cannot yield; every other
-- field is read from, and assigned to, the real ngx.
--
-- In plain Lua it is a stand-in with what lua-resty clients use; what a
-- process without nginx cannot give (ngx.var, ngx.req, ngx.shared, ...)
-- raises an error that names the field when it is used.

local socket = require "resty.luasocket"
local native = require "resty.luasocket.native"

local type, error, select, tostring, pairs, ipairs, rawset, setmetatable =
  type, error, select, tostring, pairs, ipairs, rawset, setmetatable
local concat, unpack = table.concat, table.unpack or unpack
local stdout, stderr = io.stdout, io.stderr
local null = native.null

local sockets = {
  tcp = socket.tcp, stream = socket.stream, udp = socket.udp,
  connect = socket.connect,
}

if socket.in_nginx then
  local real = ngx
  local real_sleep, update_time = real.sleep, real.update_time
  local has_cosockets, block = socket.has_cosockets, native.sleep
  setmetatable(sockets, {__index = real.socket})
  -- ngx_lua refuses ngx.sleep where a phase cannot yield (init, init_worker,
  -- set, log, ...); a loaded module there sleeps the way its sockets wait
  local function sleep(seconds)
    if has_cosockets() then
      return real_sleep(seconds)
    end
    block(seconds)
    update_time()
  end
  return setmetatable({socket = sockets, sleep = sleep},
                      {__index = real, __newindex = real})
end

local _M = {
  socket = sockets,
  null = null,
  sleep = native.sleep,
  re = require "resty.luasocket.ngx.re",
  ctx = {},
}

for _, part in ipairs({require "resty.luasocket.ngx.const",
                       require "resty.luasocket.ngx.time",
                       require "resty.luasocket.ngx.args",
                       native.codec}) do
  for k, v in pairs(part) do
    _M[k] = v
  end
end

-- the log levels and ngx.log: ERR and more severe to stderr (the default
-- level of nginx's error_log), the rest dropped
local levels = {"STDERR", "EMERG", "ALERT", "CRIT", "ERR", "WARN", "NOTICE",
                "INFO", "DEBUG"}
local level_names = {"stderr", "emerg", "alert", "crit", "error", "warn",
                     "notice", "info", "debug"}
for i, name in ipairs(levels) do
  _M[name] = i - 1
end
local LOG_MAX = _M.ERR

local getinfo = debug.getinfo

function _M.log(level, ...)
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
  local where = getinfo(2, "Sl")
  local src = where and where.short_src:match("[^/]*$") or "?"
  stderr:write("[", level_names[level + 1] or "?", "] [lua] ", src, ":",
               where and where.currentline or 0, ": ", concat(parts), "\n")
end

-- ngx.say and ngx.print write to stdout, as in the `resty` command-line
-- tool: a script run with this ngx can print its results
local function write_all(out, ...)
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    if type(v) == "table" then
      write_all(out, unpack(v))
    elseif v == nil then
      out[#out + 1] = "nil"
    elseif v == null then
      out[#out + 1] = "null"
    else
      out[#out + 1] = tostring(v)
    end
  end
end

function _M.print(...)
  local out = {}
  write_all(out, ...)
  stdout:write(concat(out))
  return 1
end

function _M.say(...)
  local out = {}
  write_all(out, ...)
  out[#out + 1] = "\n"
  stdout:write(concat(out))
  return 1
end

function _M.flush()
  stdout:flush()
  return 1
end

_M.config = {
  subsystem = "http",
  debug = false,
  -- not nginx: any `nginx_version >= N` test says no; the cosocket API is
  -- that of ngx_lua 0.10.23, which the native socket is compared against
  nginx_version = 0,
  ngx_lua_version = 10023,
  prefix = function() return "./" end,
  nginx_configure = function()
    return "resty.luasocket.ngx: plain Lua, not nginx"
  end,
}

_M.worker = {
  pid = native.getpid,
  id = function() return 0 end,
  count = function() return 1 end,
  exiting = function() return false end,
}

-- ---- what only nginx can give ---------------------------------------------

local WHY = " is not available outside nginx (resty.luasocket.ngx)"

local function refuse(name)
  error("ngx." .. name .. WHY, 3)
end

-- a function that raises when called: clients take these when they load
-- (local ngx_exit = ngx.exit) and may never call them
local function refusing(name)
  return function()
    refuse(name .. "()")
  end
end

-- a table of such functions for any key: ngx.req, ngx.timer, ...
local function refusing_api(name)
  return setmetatable({}, {
    __index = function(_, k)
      return refusing(name .. "." .. tostring(k))
    end,
  })
end

-- a table that raises on any read or write: ngx.var, ngx.shared, ...
local function refusing_table(name)
  local function raise(_, k)
    refuse(name .. "." .. tostring(k))
  end
  return setmetatable({}, {__index = raise, __newindex = raise})
end

for _, name in ipairs({"req", "resp", "timer", "thread", "location"}) do
  _M[name] = refusing_api(name)
end
for _, name in ipairs({"var", "shared", "header", "arg"}) do
  _M[name] = refusing_table(name)
end
for _, name in ipairs({"exit", "exec", "redirect", "eof", "send_headers",
                       "on_abort", "get_raw_phase", "run_worker_thread"}) do
  _M[name] = refusing(name)
end

-- values that only a request has, read or assigned
local request_values = {status = true, headers_sent = true,
                        is_subrequest = true}

return setmetatable(_M, {
  __index = function(_, k)
    if request_values[k] then
      refuse(k)
    end
  end,
  __newindex = function(t, k, v)
    if request_values[k] then
      refuse(k)
    end
    rawset(t, k, v)
  end,
})
