-- peer: drip:10:ab--boundary--cd--boundary--;close
-- A long pattern arriving one byte at a time.
local ctx = ...
local s = ctx.tcp()
s:settimeout(3000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local it = s:receiveuntil("--boundary--")
ctx.show("it()", it())
ctx.show("it(1)", it(1))
ctx.show("it(1)", it(1))
ctx.show("it(1)", it(1))
ctx.show("it()", it())
