-- peer: send:abcdefg;sleep:700;send:hij--XY;hold
-- A sized iterator on a stalled peer: full pieces first, then the timeout
-- with the short partial; the round goes on after it.
local ctx = ...
local s = ctx.tcp()
s:settimeout(250)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local it = s:receiveuntil("--XY")
ctx.show("it(3) #1", it(3))
ctx.show("it(3) #2", it(3))
ctx.show("it(3) #3", it(3))
s:settimeout(3000)
ctx.show("it(3) #4", it(3))
ctx.show("it(3) #5", it(3))
ctx.show("it(3) #6", it(3))
ctx.show("close", s:close())
