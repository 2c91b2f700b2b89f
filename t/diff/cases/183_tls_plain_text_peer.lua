-- peer: recv:5;send:HTTP/1.1 400 Bad Request\r\n\r\n;close
-- a handshake against a peer that answers in plain text: "handshake
-- failed", and the socket is closed.
local ctx = ...
local show = ctx.show
local s = ctx.tcp()
s:settimeout(3000)
show("connect", s:connect("127.0.0.1", ctx.port))
show("sslhandshake", s:sslhandshake(nil, "localhost", false))
show("send", s:send("x"))
show("receive", s:receive())
show("sslhandshake again", s:sslhandshake(nil, "localhost", false))
show("close", s:close())
