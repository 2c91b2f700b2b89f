-- peer: none
-- send on a socket that never connected.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
try("send('x')", function() return P(s:send("x")) end)
try("send(print)", function() return P(s:send(print)) end)
try("send()", function() return P(s:send()) end)
