-- resty.tinyhttp: a small HTTP/1.1 client built the way lua-resty-http is
-- built, for the tests of load() (t/clients): it takes everything it uses
-- from ngx and coroutine when it loads, requires a module of its own,
-- parses with ngx.re, encodes with ngx.encode_args, and reads bodies through
-- readers made with coroutine.create / resume / yield, which ngx_lua
-- disables in init_worker, set and log.

local headers_new = require("resty.tinyhttp.headers").new

local ngx = ngx
local tcp = ngx.socket.tcp
-- read when the module loads, as lua-resty-http does, though only a server
-- side would use them: the plain-Lua ngx must let a client take them
local req = ngx.req
local req_socket, req_get_headers = req.socket, req.get_headers
local ngx_var, ngx_header, ngx_print = ngx.var, ngx.header, ngx.print
local re_match, re_find = ngx.re.match, ngx.re.find
local encode_args = ngx.encode_args
local log, DEBUG = ngx.log, ngx.DEBUG
local co_create, co_resume, co_yield, co_status =
  coroutine.create, coroutine.resume, coroutine.yield, coroutine.status
local concat, upper, sub = table.concat, string.upper, string.sub
local tonumber, tostring, type, pairs, select, setmetatable =
  tonumber, tostring, type, pairs, select, setmetatable

local _M = {
  _VERSION = "0.1",
  _USER_AGENT = "tinyhttp/0.1 ngx_lua/" .. ngx.config.ngx_lua_version,
  server_side = {req_socket, req_get_headers, ngx_var, ngx_header, ngx_print},
}
local mt = {__index = _M}

-- a reader over a coroutine: nil, err once it cannot go on
local function reader(fn)
  local co = co_create(fn)
  return function(...)
    if co_status(co) ~= "suspended" then
      return nil, "cannot resume a " .. co_status(co) .. " reader"
    end
    return select(2, co_resume(co, ...))
  end
end

function _M.new()
  local sock, err = tcp()
  if not sock then
    return nil, err
  end
  return setmetatable({sock = sock, keepalive = true}, mt)
end

function _M.set_timeout(self, ms)
  return self.sock:settimeout(ms)
end

function _M.connect(self, host, port, opts)
  self.host, self.port = host, port
  return self.sock:connect(host, port, opts)
end

function _M.ssl_handshake(self, ...)
  return self.sock:sslhandshake(...)
end

function _M.get_reused_times(self)
  return self.sock:getreusedtimes()
end

function _M.set_keepalive(self, ...)
  if not self.keepalive then
    local ok, err = self.sock:close()
    return ok and 2 or nil, ok and "connection must be closed" or err
  end
  return self.sock:setkeepalive(...)
end

function _M.close(self)
  return self.sock:close()
end

-- scheme, host, port, path (with the query) of an absolute URI
function _M.parse_uri(_, uri)
  local m, err = re_match(uri, [[^(https?)://([^:/?]+)(?::(\d+))?([^?]*)(\?.*)?$]],
                          "jo")
  if not m then
    return nil, err or "bad uri: " .. uri
  end
  local port = tonumber(m[3]) or (m[1] == "https" and 443 or 80)
  local path = m[4] ~= "" and m[4] or "/"
  return {m[1], m[2], port, path .. (m[5] or "")}
end

local function request_text(self, params)
  local query = params.query or ""
  if type(query) == "table" then
    query = "?" .. encode_args(query)
  end
  local out = {upper(params.method or "GET"), " ", params.path or "/", query,
               " HTTP/1.1\r\n"}
  local h = headers_new()
  for k, v in pairs(params.headers or {}) do
    h[k] = v
  end
  if not h["Host"] then
    h["Host"] = self.host
  end
  if not h["User-Agent"] then
    h["User-Agent"] = _M._USER_AGENT
  end
  if type(params.body) == "string" then
    h["Content-Length"] = #params.body
  end
  for k, v in pairs(h) do
    out[#out + 1] = k .. ": " .. tostring(v) .. "\r\n"
  end
  out[#out + 1] = "\r\n"
  out[#out + 1] = params.body or ""
  return concat(out)
end

local function receive_headers(sock)
  local h = headers_new()
  while true do
    local line, err = sock:receive("*l")
    if not line then
      return nil, err
    end
    if re_find(line, [[^\s*$]], "jo") then
      return h
    end
    local m = re_match(line, [[^([^:\s]+):\s*(.*)$]], "jo")
    if m then
      local old = h[m[1]]
      if old == nil then
        h[m[1]] = m[2]
      elseif type(old) == "table" then
        old[#old + 1] = m[2]
      else
        h[m[1]] = {old, m[2]}
      end
    end
  end
end

-- chunks of at most `max` bytes of a chunked body (each chunk whole when
-- max is nil)
local function chunked_reader(sock, default_max)
  return reader(function(max)
    max = max or default_max
    while true do
      local line, err = sock:receive("*l")
      if not line then
        return co_yield(nil, err)
      end
      local size = tonumber(line:match("^%x+"), 16)
      if not size then
        return co_yield(nil, "bad chunk size: " .. line)
      end
      if size == 0 then
        receive_headers(sock) -- trailers, if any, and the last CRLF
        return
      end
      while size > 0 do
        local n = max and max < size and max or size
        local data, rerr = sock:receive(n)
        if not data then
          return co_yield(nil, rerr)
        end
        size = size - n
        max = co_yield(data) or default_max
      end
      sock:receive(2)
    end
  end)
end

local function length_reader(sock, length, default_max)
  return reader(function(max)
    max = max or default_max
    while length > 0 do
      local n = max and max < length and max or length
      local data, err = sock:receive(n)
      if not data then
        return co_yield(nil, err)
      end
      length = length - n
      max = co_yield(data) or default_max
    end
  end)
end

-- sends params (method, path, query, headers, body) and reads the status
-- and headers; the body is res:read_body() or res.body_reader(max)
function _M.request(self, params)
  local sock = self.sock
  local ok, err = sock:send(request_text(self, params))
  if not ok then
    return nil, err
  end
  local status_line
  status_line, err = sock:receive("*l")
  if not status_line then
    return nil, err
  end
  local status = tonumber(sub(status_line, 10, 12))
  local headers
  headers, err = receive_headers(sock)
  if not headers then
    return nil, err
  end
  local connection = headers["Connection"]
  if type(connection) == "string" and connection:lower() == "close" then
    self.keepalive = false
  end
  local res = {status = status, reason = sub(status_line, 14),
               headers = headers}
  local te, length = headers["Transfer-Encoding"], headers["Content-Length"]
  if params.method == "HEAD" or status == 204 or status == 304 then
    res.body_reader = nil
  elseif te and te:lower():find("chunked", 1, true) then
    res.body_reader = chunked_reader(sock, params.chunk_size)
  elseif length then
    res.body_reader = length_reader(sock, tonumber(length), params.chunk_size)
  else
    self.keepalive = false
    res.body_reader = reader(function() co_yield(sock:receive("*a")) end)
  end
  res.read_body = function()
    local r = res.body_reader
    if not r then
      return nil, "no body to be read"
    end
    local parts = {}
    while true do
      local chunk, rerr = r()
      if rerr then
        return nil, rerr, concat(parts)
      end
      if not chunk then
        return concat(parts)
      end
      parts[#parts + 1] = chunk
    end
  end
  log(DEBUG, "tinyhttp: ", status_line)
  return res
end

-- one request on a new or pooled connection: connect, TLS for https
-- (params.ssl_verify, params.ssl_server_name), request, body, keepalive
function _M.request_uri(self, uri, params)
  params = params or {}
  local parsed, err = self:parse_uri(uri)
  if not parsed then
    return nil, err
  end
  local scheme, host, port, path = parsed[1], parsed[2], parsed[3], parsed[4]
  local ok
  ok, err = self:connect(host, port, params.pool and {pool = params.pool})
  if not ok then
    return nil, err
  end
  if scheme == "https" and self:get_reused_times() == 0 then
    ok, err = self:ssl_handshake(nil, params.ssl_server_name or host,
                                 params.ssl_verify)
    if not ok then
      self:close()
      return nil, err
    end
  end
  params.path = path
  local reused = self:get_reused_times()
  local res
  res, err = self:request(params)
  if not res then
    self:close()
    return nil, err
  end
  local body, berr = res.read_body()
  if not body and berr ~= "no body to be read" then
    self:close()
    return nil, berr
  end
  res.body, res.reused = body, reused
  self:set_keepalive(10000, 10)
  return res
end

return _M
