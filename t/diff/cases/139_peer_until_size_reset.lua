-- peer: send:0123456789;sleep:150;reset
-- A sized iterator meets a reset: full pieces, then the error and the rest.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local it = s:receiveuntil("|")
ctx.show("it(4)", it(4))
ctx.show("it(4)", it(4))
ctx.show("it(4)", it(4))
ctx.show("it(4)", it(4))
