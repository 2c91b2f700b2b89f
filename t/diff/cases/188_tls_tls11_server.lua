-- peer-tls: server -tls1_1 -www
-- a server that speaks TLS 1.1 only: below the minimum of both sides.
local ctx = ...
local show = ctx.show
local s = ctx.tcp()
s:settimeout(3000)
show("connect", s:connect("127.0.0.1", ctx.port))
show("sslhandshake", s:sslhandshake(nil, "localhost", false))
show("send", s:send("x"))
show("close", s:close())
