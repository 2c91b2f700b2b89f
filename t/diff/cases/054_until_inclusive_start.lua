-- peer: send:<>x<><>;close
-- inclusive with the pattern at the very start and back to back.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local it = s:receiveuntil("<>", { inclusive = true })
ctx.show("it(5)", it(5))
ctx.show("it(5)", it(5))
ctx.show("it()", it())
ctx.show("it(1)", it(1))
ctx.show("it(1)", it(1))
ctx.show("it()", it())
