-- peer: send:abc;hold
-- receiveany takes exactly one argument.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
try("receiveany()", function() return P(s:receiveany()) end)
try("receiveany(1, 2)", function() return P(s:receiveany(1, 2)) end)
try("s.receiveany()", function() return P(s.receiveany()) end)
try("receiveany(10)", function() return P(s:receiveany(10)) end)
