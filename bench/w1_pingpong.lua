-- W1 (issue 6): ping-pong round trips on one connection. One step: send
-- "PING\r\n", receive() the line "+PONG"; a round trip.
--   MODE echo    against build/bench-server (a C epoll server)
--   MODE redis   against a redis-server (an inline PING)
-- bench/run.sh gives each mode its port. Plain Lua (native socket):
--   <interp> bench/w1_pingpong.lua MODE PORT SECONDS MAX   (see harness.lua)
-- and with BENCH_SOCKET=luasocket, LuaSocket's objects (W.luasocket).

local W = { modes = { echo = true, redis = true } }

local TIMEOUT_MS = 5000

local function fail(what, err)
  error("w1_pingpong: " .. what .. ": " .. tostring(err), 0)
end

-- the step on a connected socket: the same calls on all three sockets
local function pingpong(sock)
  return function()
    local ok, err = sock:send("PING\r\n")
    if not ok then fail("send", err) end
    local line
    line, err = sock:receive()
    if line ~= "+PONG" then fail("receive", line or err) end
    return 1
  end
end

function W.new(tcp, _, port)
  return pingpong(require("harness").opener(tcp, port, TIMEOUT_MS, false, fail)())
end

function W.luasocket(socket, _, port)
  return pingpong(require("harness").opener(socket, port, TIMEOUT_MS, true, fail)())
end

if ngx then
  return W -- required by harness.ngx_main
end
require("harness").main(W, arg)
