-- peer: send:hello\npart;close
-- Peer closed; our first send makes it answer with RST; the next send
-- then fails.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.sleep(0.2)
ctx.show("send", s:send("x"))
ctx.show("receive()", s:receive())
ctx.show("receive()", s:receive())
ctx.sleep(0.2)
ctx.show("send", s:send("x"))
ctx.show("send", s:send("x"))
ctx.show("close", s:close())
