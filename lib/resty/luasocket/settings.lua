-- resty.luasocket.settings: the settings of native sockets that the front
-- (resty.luasocket) hands out as its own functions: the TLS defaults and
-- the error log. require("resty.luasocket.settings")(in_nginx) returns
-- them, the error log set to where it belongs (on inside nginx).

local type, error, pairs, pcall = type, error, pairs, pcall
local native = require "resty.luasocket.native"
local set_tls_defaults = native.set_tls_defaults

return function(in_nginx)
  local M = {}
  local ngx = ngx -- nil in plain Lua

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

  -- the values are strings and numbers: a copy of the table is a deep copy
  local function copy(t)
    local c = {}
    for k, v in pairs(t) do
      c[k] = v
    end
    return c
  end

  function M.get_luasec_defaults()
    return copy(tls_defaults)
  end

  -- replaces the defaults (keys left out go back to the built-in ones);
  -- true, or nil and why OpenSSL refused them (the old defaults then stay);
  -- an unknown key, a value of the wrong type or a string with a NUL byte
  -- raises
  function M.set_luasec_defaults(t)
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
  function M.set_log_errors(on)
    local old = log_errors
    log_errors = on and true or false
    native.set_error_log(log_errors and (in_nginx and nginx_log or stderr_log)
                         or nil)
    return old
  end

  M.set_log_errors(in_nginx)
  return M
end
