-- W2 (issue 6): bulk receive. One step: receive(65536) of a stream of
-- STREAM bytes ("FLOOD <STREAM>" to build/bench-server, which closes the
-- connection after them); when a stream ends (its length is checked) the
-- next step opens another. Units: bytes. MODE: bulk. Plain Lua (native
-- socket):
--   <interp> bench/w2_bulk.lua bulk PORT SECONDS MAX   (see harness.lua)
-- and with BENCH_SOCKET=luasocket, LuaSocket's objects (W.luasocket).

local W = { modes = { bulk = true } }

local STREAM = 512 * 1048576 -- bench/client.c: BULK
local CHUNK = 65536
local TIMEOUT_MS = 5000

local function fail(what, err)
  error("w2_bulk: " .. what .. ": " .. tostring(err), 0)
end

-- the same calls on all three sockets
local function start(sock)
  local ok, err = sock:send("FLOOD " .. STREAM .. "\r\n")
  if not ok then fail("send", err) end
  return function()
    local data, rerr, partial = sock:receive(CHUNK)
    if data then return #data end
    if rerr ~= "closed" then fail("receive", rerr) end
    return #partial, true
  end
end

local function streams(new_socket, port, luasocket)
  local harness = require "harness"
  return harness.streams(harness.opener(new_socket, port, TIMEOUT_MS, luasocket, fail),
                         start, STREAM, "bytes", fail)
end

function W.new(tcp, _, port)
  return streams(tcp, port, false)
end

function W.luasocket(socket, _, port)
  return streams(socket, port, true)
end

if ngx then
  return W -- required by harness.ngx_main
end
require("harness").main(W, arg)
