-- peer: recv:5;close
-- the peer closes in the middle of the handshake: "handshake failed", the
-- socket closed; it connects again.
local ctx = ...
local show = ctx.show
local s = ctx.tcp()
s:settimeout(3000)
show("connect", s:connect("127.0.0.1", ctx.port))
show("sslhandshake", s:sslhandshake(false, "localhost", false))
show("send", s:send("x"))
show("close", s:close())
show("connect again", s:connect("127.0.0.1", ctx.port))
show("sslhandshake", s:sslhandshake(nil, nil, false))
show("receive", s:receive())
show("close", s:close())
