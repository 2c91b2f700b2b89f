-- peer: send:abc;sleep:800;send:def\n;hold
-- settimeouts sets each timeout: a short read timeout with long others.
local ctx = ...
local s = ctx.tcp()
s:settimeouts(3000, 3000, 250)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("send", s:send("hello"))
ctx.show("receive()", s:receive())
s:settimeouts(3000, 3000, 3000)
ctx.show("receive()", s:receive())
