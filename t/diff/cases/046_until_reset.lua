-- peer: send:body-without-end;sleep:150;reset
-- A peer reset before the pattern: the error and the data so far.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local it = s:receiveuntil("--END--")
ctx.show("it()", it())
ctx.show("it() again", it())
ctx.show("receive()", s:receive())
ctx.show("close", s:close())
