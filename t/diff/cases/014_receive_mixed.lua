-- peer: send:first\nsecond line\nAB;sleep:100;send:CDthird\n;send:tail;close
-- Lines, sizes and '*a' interleaved on one buffer.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("line", s:receive())
ctx.show("size 6", s:receive(6))
ctx.show("line", s:receive("*l"))
ctx.show("size 4", s:receive(4))
ctx.show("line", s:receive())
ctx.show("*a", s:receive("*a"))
ctx.show("close", s:close())
