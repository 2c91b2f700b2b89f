-- peer: hold
-- setoption on a closed socket.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("close", s:close())
try("keepalive", function() return P(s:setoption("keepalive", true)) end)
try("unknown", function() return P(s:setoption("unknown", true)) end)
