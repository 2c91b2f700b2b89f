-- peer: send:abc;sleep:150;reset
-- After a reset reported by a read, close answers nil, "closed".
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("*a", s:receive("*a"))
ctx.show("close", s:close())
ctx.show("connect again", s:connect("127.0.0.1", ctx.port))
ctx.show("receive(3)", s:receive(3))
ctx.show("close", s:close())
