-- peer: send:hello\npart;close
-- The peer closes in the middle of a line.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("receive()", s:receive())
ctx.show("receive()", s:receive())
ctx.show("receive()", s:receive())
ctx.show("close", s:close())
