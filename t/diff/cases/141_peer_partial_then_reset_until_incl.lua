-- peer: send:abc--;sleep:150;reset
-- An inclusive iterator holding a partial match when the reset comes.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local it = s:receiveuntil("--END", { inclusive = true })
ctx.show("it()", it())
ctx.show("it()", it())
