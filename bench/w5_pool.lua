-- W5 (issue 4, issue 6): what a lua-resty client does per request.
-- One cycle: a new socket object, settimeout, connect to 127.0.0.1:PORT,
-- send "PING\r\n", receive the line "+PONG", then
--   MODE pooled     setkeepalive(): the next connect takes it from the pool
--   MODE unpooled   close(): every cycle is a new TCP connection
-- Against build/bench-server. Plain Lua (native socket):
--   <interp> bench/w5_pool.lua MODE PORT SECONDS MAX     (see harness.lua)

local W = { modes = { pooled = true, unpooled = true } }

local TIMEOUT_MS = 5000

local function fail(what, err)
  error("w5_pool: " .. what .. ": " .. tostring(err), 0)
end

function W.new(tcp, mode, port)
  local pooled = mode == "pooled"
  return function()
    local sock = tcp()
    sock:settimeout(TIMEOUT_MS)
    local ok, err = sock:connect("127.0.0.1", port)
    if not ok then fail("connect", err) end
    ok, err = sock:send("PING\r\n")
    if not ok then fail("send", err) end
    local line
    line, err = sock:receive()
    if line ~= "+PONG" then fail("receive", line or err) end
    if pooled then
      ok, err = sock:setkeepalive()
    else
      ok, err = sock:close()
    end
    if not ok then fail(pooled and "setkeepalive" or "close", err) end
    return 1
  end
end

-- After the run: a pooled connection has been reused, an unpooled one not.
function W.check(tcp, mode, port)
  local sock = tcp()
  sock:settimeout(TIMEOUT_MS)
  local ok, err = sock:connect("127.0.0.1", port)
  if not ok then fail("connect", err) end
  local reused = sock:getreusedtimes()
  sock:close()
  if (mode == "pooled") ~= (reused > 0) then
    fail("check", mode .. " connection reused " .. reused .. " times")
  end
  return "reused=" .. reused
end

if ngx then
  return W -- required by harness.ngx_main
end
require("harness").main(W, arg)
