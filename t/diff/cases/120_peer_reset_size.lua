-- peer: send:abc;sleep:150;reset
-- A reset during a size read: the error with the partial data.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("receive(10)", s:receive(10))
ctx.show("receive(10)", s:receive(10))
ctx.show("close", s:close())
