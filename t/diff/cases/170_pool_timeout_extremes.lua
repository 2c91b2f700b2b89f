-- peer: hold
-- Keepalive timeouts at the edges. ngx_lua adds the timeout to its msec
-- clock as an unsigned number: a negative one is already due, and the idle
-- connection is closed at the next turn of the event loop (it is not
-- "never"); one just under 2^63 ms is a far future (no overflow).
local ctx = ...
local show = ctx.show
local s = ctx.tcp()
s:settimeout(2000)
local opts = { pool = "edge" .. ctx.port }
show("connect", s:connect("127.0.0.1", ctx.port, opts))
show("setkeepalive(-1)", s:setkeepalive(-1))
ctx.sleep(0.3)
show("connect", s:connect("127.0.0.1", ctx.port, opts))
show("getreusedtimes", s:getreusedtimes())
show("setkeepalive(-5000)", s:setkeepalive(-5000))
ctx.sleep(0.3)
show("connect", s:connect("127.0.0.1", ctx.port, opts))
show("getreusedtimes", s:getreusedtimes())
show("setkeepalive(2^63 - 2^10)", s:setkeepalive(2 ^ 63 - 2 ^ 10))
ctx.sleep(0.3)
show("connect", s:connect("127.0.0.1", ctx.port, opts))
show("getreusedtimes", s:getreusedtimes())
show("close", s:close())
