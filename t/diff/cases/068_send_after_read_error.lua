-- peer: send:abc;sleep:100;reset
-- After a read error (reset), a send on the same socket.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("receive(10)", s:receive(10))
ctx.show("receive()", s:receive())
ctx.show("send", s:send("x"))
ctx.show("close", s:close())
