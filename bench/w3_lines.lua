-- W3 (issue 6): short lines. One step: receive("*l") of one line of a
-- stream of STREAM lines ("LINES <STREAM>" to build/bench-server: lines of
-- 14 x's and CRLF, then the connection is closed), checked; when a stream
-- ends (its count is checked) the next step opens another. Units: lines.
-- MODE: lines. Plain Lua (native socket):
--   <interp> bench/w3_lines.lua lines PORT SECONDS MAX   (see harness.lua)
-- and with BENCH_SOCKET=luasocket, LuaSocket's objects (W.luasocket).

local W = { modes = { lines = true } }

local STREAM = 2000000 -- bench/client.c: LINES
local LINE = "xxxxxxxxxxxxxx" -- bench/server.c: LINE, without its CRLF
local TIMEOUT_MS = 5000

local function fail(what, err)
  error("w3_lines: " .. what .. ": " .. tostring(err), 0)
end

-- the same calls on all three sockets
local function start(sock)
  local ok, err = sock:send("LINES " .. STREAM .. "\r\n")
  if not ok then fail("send", err) end
  return function()
    local line, rerr, partial = sock:receive("*l")
    if line == LINE then return 1 end
    if line or rerr ~= "closed" or partial ~= "" then
      fail("receive", line or (rerr .. " after " .. #partial .. " bytes"))
    end
    return 0, true
  end
end

local function streams(new_socket, port, luasocket)
  local harness = require "harness"
  return harness.streams(harness.opener(new_socket, port, TIMEOUT_MS, luasocket, fail),
                         start, STREAM, "lines", fail)
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
