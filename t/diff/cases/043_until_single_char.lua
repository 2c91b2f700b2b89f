-- peer: send:a,b,,c,;send:,;close
-- A one-byte pattern, with and without size.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local it = s:receiveuntil(",")
ctx.show("it()", it())
ctx.show("it(1)", it(1))
ctx.show("it(1)", it(1))
ctx.show("it()", it())
ctx.show("it(5)", it(5))
ctx.show("it(5)", it(5))
ctx.show("it()", it())
ctx.show("it()", it())
