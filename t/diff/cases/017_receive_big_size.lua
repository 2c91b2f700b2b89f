-- peer: flood:1000000;close
-- A size read of almost everything, then a size read past EOF.
local ctx = ...
local s = ctx.tcp()
s:settimeout(5000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("receive(999999)", s:receive(999999))
ctx.show("receive(2)", s:receive(2))
