-- peer: send:x;hold
-- Timeouts can be set on closed and never-connected sockets.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
try("unconnected settimeout", function() return P(s:settimeout(100)) end)
try("unconnected settimeouts", function() return P(s:settimeouts(1, 2, 3)) end)
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("close", s:close())
try("closed settimeout", function() return P(s:settimeout(100)) end)
try("closed settimeouts", function() return P(s:settimeouts(1, 2, 3)) end)
try("closed bad timeout", function() return P(s:settimeout(-1)) end)
