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

-- open(): a new connected socket. The calls after it are the same on all
-- three sockets.
local function streams(open)
  local sock, got
  return function()
    if not sock then
      sock = open()
      local ok, err = sock:send("FLOOD " .. STREAM .. "\r\n")
      if not ok then fail("send", err) end
      got = 0
    end
    local data, err, partial = sock:receive(CHUNK)
    if data then
      got = got + #data
      return #data
    end
    if err ~= "closed" then fail("receive", err) end
    local n = #partial
    got = got + n
    sock:close()
    sock = nil
    if got ~= STREAM then
      fail("stream", got .. " bytes, expecting " .. STREAM)
    end
    return n
  end
end

function W.new(tcp, _, port)
  return streams(require("harness").opener(tcp, port, TIMEOUT_MS, false, fail))
end

function W.luasocket(socket, _, port)
  return streams(require("harness").opener(socket, port, TIMEOUT_MS, true, fail))
end

if ngx then
  return W -- required by harness.ngx_main
end
require("harness").main(W, arg)
