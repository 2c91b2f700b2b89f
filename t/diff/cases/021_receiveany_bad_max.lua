-- peer: send:0123456789;hold
-- receiveany's max must be a number (or number string) >= 1 after truncation.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
try("receiveany(0)", function() return P(s:receiveany(0)) end)
try("receiveany(-1)", function() return P(s:receiveany(-1)) end)
try("receiveany('x')", function() return P(s:receiveany("x")) end)
try("receiveany(nil)", function() return P(s:receiveany(nil)) end)
try("receiveany({})", function() return P(s:receiveany({})) end)
try("receiveany(true)", function() return P(s:receiveany(true)) end)
try("receiveany(0.5)", function() return P(s:receiveany(0.5)) end)
try("receiveany(-0.5)", function() return P(s:receiveany(-0.5)) end)
try("receiveany(1e100)", function() return P(s:receiveany(1e100)) end)
try("receiveany('0')", function() return P(s:receiveany("0")) end)
ctx.show("nothing consumed", s:receive(10))
