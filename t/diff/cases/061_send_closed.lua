-- peer: echo
-- send on a closed socket: nil, "closed", checked before the data type.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("close", s:close())
try("send('x')", function() return P(s:send("x")) end)
try("send(print)", function() return P(s:send(print)) end)
try("send({true})", function() return P(s:send({ true })) end)
