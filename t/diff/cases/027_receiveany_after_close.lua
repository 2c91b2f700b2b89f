-- peer: send:abc;hold
-- receiveany on a closed socket: nil, "closed" before the argument check.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("close", s:close())
try("receiveany(10)", function() return P(s:receiveany(10)) end)
try("receiveany(0)", function() return P(s:receiveany(0)) end)
