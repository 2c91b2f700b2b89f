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
