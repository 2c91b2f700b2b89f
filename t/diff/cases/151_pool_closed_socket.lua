-- peer: none
-- setkeepalive and getreusedtimes on a socket that holds no connection:
-- never connected, after a refused connect, after close.
local ctx = ...
local show = ctx.show
local s = ctx.tcp()
show("getreusedtimes never connected", s:getreusedtimes())
show("setkeepalive never connected", s:setkeepalive())
show("setkeepalive(0, 5) never connected", s:setkeepalive(0, 5))
s:settimeout(2000)
show("connect refused", s:connect("127.0.0.1", ctx.port))
show("getreusedtimes after refused", s:getreusedtimes())
show("setkeepalive after refused", s:setkeepalive())
show("connect refused with pool opts", s:connect("127.0.0.1", ctx.port, { pool_size = 2, backlog = 0 }))
show("setkeepalive", s:setkeepalive())
show("getreusedtimes", s:getreusedtimes())
show("close", s:close())
show("connect refused again (pool exists)", s:connect("127.0.0.1", ctx.port, { pool_size = 2, backlog = 0 }))
show("getreusedtimes", s:getreusedtimes())
