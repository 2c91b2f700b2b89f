-- peer: recv:5;send:\x15\x03\x03\x00\x02\x02\x28;hold
-- the peer answers the ClientHello with a fatal handshake_failure alert.
local ctx = ...
local show = ctx.show
local s = ctx.tcp()
s:settimeout(3000)
show("connect", s:connect("127.0.0.1", ctx.port))
show("sslhandshake", s:sslhandshake(nil, "localhost", false))
show("send", s:send("x"))
show("close", s:close())
