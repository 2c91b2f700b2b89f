-- peer: drip:10:0123456789abcdef;close
-- A size read assembled from one-byte writes.
local ctx = ...
local s = ctx.tcp()
s:settimeout(3000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("receive(10)", s:receive(10))
ctx.show("receive(10)", s:receive(10))
