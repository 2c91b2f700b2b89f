-- peer: recv:5;reset
-- the peer resets in the middle of the handshake: "handshake failed".
local ctx = ...
local show = ctx.show
local s = ctx.tcp()
s:settimeout(3000)
show("connect", s:connect("127.0.0.1", ctx.port))
show("sslhandshake", s:sslhandshake(nil, "localhost", true))
show("send", s:send("x"))
show("receive", s:receive())
show("close", s:close())
