-- peer: none
-- A socket that never connected answers reads with nil, "closed".
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
try("receive()", function() return P(s:receive()) end)
try("receive(5)", function() return P(s:receive(5)) end)
try("receive('*a')", function() return P(s:receive("*a")) end)
try("receive('l')", function() return P(s:receive("l")) end)
try("receive(0)", function() return P(s:receive(0)) end)
try("receiveany(5)", function() return P(s:receiveany(5)) end)
try("receiveany(0)", function() return P(s:receiveany(0)) end)
