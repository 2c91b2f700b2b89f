-- resty.luasocket: the socket that works here.
--
-- Inside nginx, in a phase that has cosockets, tcp() returns ngx_lua's own
-- ngx.socket.tcp(), untouched. Everywhere else (init, init_worker, set, the
-- filters, log, ..., and plain Lua) it returns a native blocking socket from
-- resty.luasocket.native with the same API.

local native = require "resty.luasocket.native"

local type, error, pcall, select = type, error, pcall, select
local native_tcp = native.tcp
local native_udp = native.udp

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

-- per-phase overrides; outside nginx there are no phases and they are unused
local forced = {}   -- phase -> true: native socket even with cosockets
local disabled = {} -- phase -> true: always ngx.socket.*, never native

-- force_luasocket(phase, on), disable_luasocket(phase, on): each returns
-- the previous setting, so that a caller can restore it:
--   local old = socket.force_luasocket("timer", true) ... (old)
local function phase_switch(name, set)
  return function(phase, on)
    if type(phase) ~= "string" then
      error("bad argument #1 to '" .. name .. "' (string expected, got "
            .. type(phase) .. ")", 2)
    end
    local old = set[phase] == true
    set[phase] = on and true or nil
    return old
  end
end
_M.force_luasocket = phase_switch("force_luasocket", forced)
_M.disable_luasocket = phase_switch("disable_luasocket", disabled)

local ngx = ngx -- nil in plain Lua
local in_nginx = type(ngx) == "table" and type(ngx.get_phase) == "function"
                 and type(ngx.socket) == "table"
_M.in_nginx = in_nginx

if not in_nginx then
  function _M.tcp(...)
    check_no_args(select("#", ...))
    return native_tcp()
  end

  function _M.udp(...)
    check_no_args(select("#", ...))
    return native_udp()
  end

  function _M.has_cosockets()
    return false
  end

else
  local get_phase, log, WARN, INFO = ngx.get_phase, ngx.log, ngx.WARN, ngx.INFO
  -- taken now, so that code which later replaces ngx.socket.tcp with our
  -- tcp() (to run unmodified clients) cannot make us call ourselves
  local co_tcp, co_udp = ngx.socket.tcp, ngx.socket.udp

  -- phase -> whether ngx_lua let us create a cosocket there; learnt by the
  -- first call in each phase, since the set of phases differs between builds
  local cosockets_in = {}

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
    local known = cosockets_in[phase]
    if known then
      return new()
    end
    if known == nil then
      local ok, sock = pcall(new)
      cosockets_in[phase] = ok
      if ok then
        return sock
      end
    end
    return nil
  end

  -- One line for the first native socket of each phase in this worker,
  -- then for the 10th, 100th, ...: a log_by_lua that makes one per request
  -- must not write a line per request. init is where blocking is expected
  -- (configuration loading): no line there.
  local made = {[true] = {}, [false] = {}} -- forced? -> phase -> count

  local function note_native(phase)
    if phase == "init" then
      return
    end
    local is_forced = forced[phase] == true
    local n = (made[is_forced][phase] or 0) + 1
    made[is_forced][phase] = n
    local power = 1
    while power < n do
      power = power * 10
    end
    if power ~= n then
      return
    end
    local which = n == 1 and "the first in this worker; the 10th, 100th, ..."
                             .. " are logged too"
                  or "the " .. n .. "th in this worker"
    if is_forced then
      log(INFO, "resty.luasocket forced in phase ", phase,
          ", using a blocking socket (", which, ")")
    else
      log(WARN, "cosockets unavailable in phase ", phase,
          ", using a blocking socket (", which, ")")
    end
  end

  -- tcp() and udp(): the cosocket co_new() makes, or native_new()'s socket
  local function chooser(co_new, native_new)
    return function(...)
      check_no_args(select("#", ...))
      local phase = get_phase()
      local sock = cosocket(phase, co_new)
      if sock then
        return sock
      end
      note_native(phase)
      return native_new()
    end
  end
  _M.tcp = chooser(co_tcp, native_tcp)
  _M.udp = chooser(co_udp, native_udp)

  -- whether this phase has cosockets (and so yields): what ngx_lua says,
  -- whatever force_luasocket and disable_luasocket say of sockets
  function _M.has_cosockets()
    local phase = get_phase()
    local known = cosockets_in[phase]
    if known == nil then
      known = pcall(co_tcp)
      cosockets_in[phase] = known
    end
    return known
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
-- this library's tcp(), with every module it requires: see load.lua
function _M.load(modname)
  local mod = require("resty.luasocket.load")(modname, 3)
  return mod
end

-- the TLS defaults and the error log of native sockets: settings.lua
local settings = require("resty.luasocket.settings")(in_nginx)
_M.get_luasec_defaults = settings.get_luasec_defaults
_M.set_luasec_defaults = settings.set_luasec_defaults
_M.set_log_errors = settings.set_log_errors

-- the read size of the native sockets made from now on, and what one of
-- their reads may hold: docs/manual.md
_M.set_buffer_size = native.set_buffer_size
_M.set_max_buffer = native.set_max_buffer

return _M
