-- peer: hold
-- An idle connection is closed after its keepalive timeout; 0 keeps it
-- forever. The timeout belongs to each setkeepalive call.
local ctx = ...
local show = ctx.show
local s = ctx.tcp()
s:settimeout(2000)
local opts = { pool = "idle" .. ctx.port }
local function use(label)
  show(label, s:connect("127.0.0.1", ctx.port, opts))
  show("getreusedtimes", s:getreusedtimes())
end
use("connect")
show("setkeepalive(150)", s:setkeepalive(150))
ctx.sleep(0.6)
use("after 600 ms")
show("setkeepalive(0)", s:setkeepalive(0))
ctx.sleep(0.6)
use("after 600 ms")
show("setkeepalive(5000)", s:setkeepalive(5000))
ctx.sleep(0.3)
use("after 300 ms")
show("setkeepalive(150)", s:setkeepalive(150))
ctx.sleep(0.6)
use("after 600 ms")
show("close", s:close())
