-- demo/demo.lua HOST PORT: talk to a redis-server with the native socket.
--
-- This is plain Lua: there is no nginx and no ngx global, so
-- resty.luasocket hands out its native blocking socket, with the
-- API of OpenResty's ngx.socket.tcp(). demo/run.sh starts the server.

local socket = require "resty.luasocket"

local host, port = arg[1], tonumber(arg[2])
if not host or not port then
  io.stderr:write("usage: demo.lua HOST PORT\n")
  os.exit(2)
end

local steps = 0

local function say(...)
  io.write(...)
  io.write("\n")
end

local function fail(...)
  io.stderr:write("demo: FAILED: ", ...)
  io.stderr:write("\n")
  os.exit(1)
end

-- expect(step, got, want, shown): print the step and what it gave (or
-- `shown`, when that says more), and stop the demo on a mismatch
local function expect(what, got, want, shown)
  if got ~= want then
    fail(what, ": got ", tostring(got), shown ~= nil and " (" .. tostring(shown) .. ")" or "",
         ", wanted ", tostring(want))
  end
  steps = steps + 1
  if shown == nil then
    shown = got
  end
  say(("  ok   %-48s %s"):format(what, tostring(shown)))
end

-- A RESP command as an array of strings: send() takes (nested) arrays and
-- writes their pieces in order, so there is no need to concatenate.
local function command(...)
  local out = { "*" .. select("#", ...) .. "\r\n" }
  for i = 1, select("#", ...) do
    local a = tostring((select(i, ...)))
    out[#out + 1] = { "$", #a, "\r\n", a, "\r\n" }
  end
  return out
end

local sock -- the connection, set below

-- One RESP reply. The type line comes from receive("*l") (which drops the
-- CR as ngx_lua does), a bulk string's body from receive(n).
local function read_reply()
  local line, err = sock:receive("*l")
  if not line then
    return nil, err
  end
  local kind, rest = line:sub(1, 1), line:sub(2)
  if kind == "+" then
    return rest
  elseif kind == "-" then
    return nil, rest
  elseif kind == ":" then
    return tonumber(rest)
  elseif kind == "$" then
    local n = tonumber(rest)
    if n < 0 then
      return nil -- a nil bulk string: no such key
    end
    local body, berr = sock:receive(n)
    if not body then
      return nil, berr
    end
    local crlf = sock:receive(2)
    if crlf ~= "\r\n" then
      return nil, "bad bulk string terminator"
    end
    return body
  elseif kind == "*" then
    local n = tonumber(rest)
    if n < 0 then
      return nil
    end
    local list = {}
    for i = 1, n do
      local v, verr = read_reply()
      if v == nil and verr then
        return nil, verr
      end
      list[i] = v
    end
    return list
  end
  return nil, "unknown reply type: " .. line
end

local function call(...)
  local bytes, err = sock:send(command(...))
  if not bytes then
    fail("send ", (...), ": ", err)
  end
  return read_reply()
end

say("resty.luasocket ", socket._VERSION, " (", _VERSION, "), redis at ", host, ":", port)

sock = socket.tcp()
expect("tcp() is the native socket", getmetatable(sock) == socket.luasocket_mt, true)
sock:settimeouts(1000, 1000, 2000) -- connect, send, read; in milliseconds

local ok, err = sock:connect(host, port)
expect("connect", ok, 1, ok or err)
say("       ", tostring(sock))

expect("PING", call("PING"), "PONG")

local greeting = "hello from resty.luasocket " .. socket._VERSION
expect("SET demo:greeting", call("SET", "demo:greeting", greeting), "OK")
expect("GET demo:greeting (bulk body via receive(n))", call("GET", "demo:greeting"), greeting)
expect("INCRBY demo:counter 5", call("INCRBY", "demo:counter", 5), 5)

local _, rerr = call("INCR", "demo:greeting")
expect("INCR on a string: an error reply", rerr and rerr:match("^ERR") ~= nil, true, rerr)

local v, verr = call("GET", "demo:missing")
expect("GET demo:missing: a nil reply", v == nil and verr == nil, true, "nil")

-- two commands in one send(): pipelining is just a bigger array
sock:send({ command("RPUSH", "demo:list", "a", "b", "c"), command("LRANGE", "demo:list", 0, -1) })
expect("pipelined RPUSH", read_reply(), 3)
local list = read_reply()
expect("pipelined LRANGE", type(list) == "table" and table.concat(list, ","), "a,b,c")

-- INFO answers one bulk string of CRLF-terminated lines; read them with a
-- receiveuntil() iterator, counting bytes until the bulk length is used up
sock:send(command("INFO", "server"))
local header = sock:receive("*l")
local left = tonumber(header:match("^%$(%d+)$"))
expect("INFO server: a bulk string (header via receive)", left ~= nil, true, header)
local next_line = sock:receiveuntil("\r\n")
local fields = {}
while left > 0 do
  local line, lerr = next_line()
  if not line then
    fail("INFO line: ", lerr)
  end
  left = left - #line - 2
  local k, val = line:match("^([%w_]+):(.*)$")
  if k then
    fields[k] = val
  end
end
expect("INFO: the reply's closing CRLF", next_line(), "", '""')
expect("INFO tcp_port (lines via receiveuntil)", tonumber(fields.tcp_port), port)
say("       redis_version ", tostring(fields.redis_version),
    ", uptime ", tostring(fields.uptime_in_seconds), " s")

-- a read timeout keeps the connection: BLPOP answers after 0.5 s, we give
-- up waiting after 0.1 s, then wait again and get the answer
sock:send(command("BLPOP", "demo:empty", "0.5"))
sock:settimeouts(1000, 1000, 100)
local line, terr = sock:receive("*l")
expect("BLPOP 0.5 s with a 100 ms read timeout", line or terr, "timeout")
sock:settimeouts(1000, 1000, 2000)
expect("... the socket survives; the late reply arrives", sock:receive("*l"), "*-1")

expect("DEL the demo keys", call("DEL", "demo:greeting", "demo:counter", "demo:list"), 3)
expect("QUIT", call("QUIT"), "OK")
local data, cerr = sock:receive("*l")
expect("after QUIT the server has closed", data == nil and cerr, "closed")
expect("close", sock:close(), 1)

say("demo: all ", steps, " steps passed")
