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

  function _M.udp(...)
    check_no_args(select("#", ...))
    local phase = get_phase()
    local sock = cosocket(phase, co_udp)
    if sock then
      return sock
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
-- this library's tcp(), with every module it requires: see load.lua
function _M.load(modname)
  local mod = require("resty.luasocket.load")(modname, 3)
  return mod
end

-- TLS defaults of native sockets (cosockets take theirs from nginx's
-- lua_ssl_* directives). Every key is optional; unset ones keep the built-in
-- default: the system CA bundle, TLS 1.2 and above, OpenSSL's ciphers and
-- verify depth, no client certificate. The keys (native checks them, with
-- the same code as the table sslhandshake takes in 4th place):
--   cafile, capath               trusted CAs (strings)
--   min_protocol, max_protocol   "TLSv1" .. "TLSv1.3"
--   ciphers, ciphersuites        TLS 1.2 / TLS 1.3
--   depth                        verify depth (a number, 0 and up)
--   certificate, key             client certificate (PEM files)
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
-- true, or nil and why OpenSSL refused them (the old defaults then stay);
-- an unknown key, a value of the wrong type or a string with a NUL byte
-- raises
function _M.set_luasec_defaults(t)
  if type(t) ~= "table" then
    error("bad argument #1 to 'set_luasec_defaults' (table expected, got "
          .. type(t) .. ")", 2)
  end
  local new = copy(t)
  local ok, err, bad_table = set_tls_defaults(new)
  if bad_table then
    error("bad argument #1 to 'set_luasec_defaults' (" .. err .. ")", 2)
  end
  if not ok then
    return nil, err
  end
  tls_defaults = new
  return true
end

-- The error log of native sockets: the lines ngx_lua writes for a failed
-- cosocket ("connect() failed (111: Connection refused)", "lua tcp socket
-- read timed out", "lua ssl certificate verify error: (...)", ...). Inside
-- nginx they go to its error log, on by default as lua_socket_log_errors
-- is (a directive Lua cannot read: say set_log_errors(false) where it is
-- off); in plain Lua nowhere unless set_log_errors(true), then stderr.
local log_errors = false
local stderr = io.stderr
local levels = {"stderr", "emerg", "alert", "crit", "error", "warn",
                "notice", "info", "debug"}

local function stderr_log(level, text)
  stderr:write("[", levels[level + 1] or "error", "] ", text, "\n")
end

local function nginx_log(level, text)
  ngx.log(level, text)
end

if in_nginx then
  -- lua-resty-core's raw_log writes the line without ngx.log's
  -- "[lua] file:line:" prefix, as ngx_lua's own lines are
  local ok, errlog = pcall(require, "ngx.errlog")
  if ok and type(errlog) == "table" and errlog.raw_log then
    local raw_log = errlog.raw_log
    nginx_log = function(level, text)
      if not pcall(raw_log, level, text) then
        ngx.log(level, text)
      end
    end
  end
end

-- returns the previous setting
function _M.set_log_errors(on)
  local old = log_errors
  log_errors = on and true or false
  native.set_error_log(log_errors and (in_nginx and nginx_log or stderr_log)
                       or nil)
  return old
end

_M.set_log_errors(in_nginx)

-- the read size of the native sockets made from now on (cosockets keep
-- nginx's lua_socket_buffer_size): 512 bytes to 64 MiB, default 16 KiB
_M.set_buffer_size = native.set_buffer_size

-- what one read of the native sockets made from now on may hold (a line,
-- '*a', a size, a receiveuntil part): 512 bytes to 2^53, default 16 MiB;
-- past it the read returns nil, "buffer too large", partial data
_M.set_max_buffer = native.set_max_buffer

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
