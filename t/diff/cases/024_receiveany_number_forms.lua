-- peer: send:0123456789;hold
-- max may be a number string; fractions are truncated.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.sleep(0.2)
try("receiveany('3')", function() return P(s:receiveany("3")) end)
try("receiveany(2.9)", function() return P(s:receiveany(2.9)) end)
try("receiveany('0x2')", function() return P(s:receiveany("0x2")) end)
try("receiveany(' 1')", function() return P(s:receiveany(" 1")) end)
try("receiveany(2^31)", function() return P(s:receiveany(2^31)) end)
