-- peer: send:abc5def55gh;close
-- A number pattern is used as its string.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local it = s:receiveuntil(5)
ctx.show("it()", it())
ctx.show("it()", it())
ctx.show("it()", it())
ctx.show("it()", it())
