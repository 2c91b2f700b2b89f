-- peer: hold
-- a peer that never answers the ClientHello: "timeout" under the connect
-- timeout (the send and read timeouts are long), and the socket is closed.
local ctx = ...
local show = ctx.show
local s = ctx.tcp()
s:settimeouts(300, 10000, 10000)
show("connect", s:connect("127.0.0.1", ctx.port))
show("sslhandshake", s:sslhandshake(nil, "localhost", false))
show("send", s:send("x"))
show("receive", s:receive())
show("close", s:close())
