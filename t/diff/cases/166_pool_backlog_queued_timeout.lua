-- peer: hold
-- Past pool_size but within the backlog, connect waits for a connection of
-- the pool to be released; nothing releases one here, so it fails with
-- "timeout" after the connect timeout, and the socket is closed.
local ctx = ...
local show = ctx.show
local opts = { pool = "q" .. ctx.port, pool_size = 1, backlog = 1 }
local s1, s2, s3 = ctx.tcp(), ctx.tcp(), ctx.tcp()
s1:settimeout(2000)
s2:settimeout(300)
s3:settimeout(300)
show("s1", s1:connect("127.0.0.1", ctx.port, opts))
show("s2 queued", s2:connect("127.0.0.1", ctx.port, opts))
show("s2 receive", s2:receive())
show("s2 getreusedtimes", s2:getreusedtimes())
show("s2 setkeepalive", s2:setkeepalive())
show("s2 close", s2:close())
show("s3 queued", s3:connect("127.0.0.1", ctx.port, opts))
show("s1 setkeepalive", s1:setkeepalive(0))
show("s2 takes the idle one", s2:connect("127.0.0.1", ctx.port, opts))
show("s2 getreusedtimes", s2:getreusedtimes())
show("s3 queued", s3:connect("127.0.0.1", ctx.port, opts))
show("s2 close", s2:close())
