-- peer: send:part one\n;sleep:700;send:part two;close
-- '*a' on a peer that does not close in time: timeout with the partial.
local ctx = ...
local s = ctx.tcp()
s:settimeout(200)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("*a", s:receive("*a"))
s:settimeout(3000)
ctx.show("*a later", s:receive("*a"))
ctx.show("close", s:close())
