-- peer: send:abcdefgh;close
-- A size read that meets EOF returns the partial data with "closed".
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("receive(3)", s:receive(3))
ctx.show("receive(10)", s:receive(10))
ctx.show("receive(1)", s:receive(1))
ctx.show("receive()", s:receive())
ctx.show("close", s:close())
ctx.show("close again", s:close())
