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

-- open(): a new connected socket. The calls after it are the same on all
-- three sockets.
local function streams(open)
  local sock, got
  return function()
    if not sock then
      sock = open()
      local ok, err = sock:send("LINES " .. STREAM .. "\r\n")
      if not ok then fail("send", err) end
      got = 0
    end
    local line, err, partial = sock:receive("*l")
    if line == LINE then
      got = got + 1
      return 1
    end
    if line or err ~= "closed" or partial ~= "" then
      fail("receive", line or (err .. " after " .. #partial .. " bytes"))
    end
    sock:close()
    sock = nil
    if got ~= STREAM then
      fail("stream", got .. " lines, expecting " .. STREAM)
    end
    return 0
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
