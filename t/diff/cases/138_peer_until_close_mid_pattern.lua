-- peer: send:value\r\n\r;close
-- The peer closes in the middle of the pattern "\r\n\r\n".
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local it = s:receiveuntil("\r\n\r\n")
ctx.show("it()", it())
ctx.show("it()", it())
