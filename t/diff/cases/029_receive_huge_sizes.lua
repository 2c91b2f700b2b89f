-- peer: send:abc;sleep:400;send:def;close
-- Sizes far beyond the data: nothing is preallocated, the timeout and the
-- EOF report what came.
local ctx = ...
local s = ctx.tcp()
s:settimeout(200)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("receive(2^31)", s:receive(2^31))
s:settimeout(2000)
ctx.show("receive(2^40)", s:receive(2^40))
ctx.show("receive(2^31)", s:receive(2^31))
local s2 = ctx.tcp()
s2:settimeout(2000)
ctx.show("connect", s2:connect("127.0.0.1", ctx.port))
ctx.show("receiveany(2^40)", s2:receiveany(2^40))
local it = s2:receiveuntil("never")
ctx.show("it(2^40)", it(2^40))
