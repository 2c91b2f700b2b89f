-- peer: none
-- close on a socket that never connected, and after a refused connect.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
try("close fresh", function() return P(s:close()) end)
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
try("close after refused", function() return P(s:close()) end)
