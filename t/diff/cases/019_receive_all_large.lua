-- peer: flood:3000000;close
-- '*a' grows with the data.
local ctx = ...
local s = ctx.tcp()
s:settimeout(5000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("*a", s:receive("*a"))
ctx.show("*a again", s:receive("*a"))
