-- peer: hold
-- setoption without option or value.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
try("setoption()", function() return P(s:setoption()) end)
try("setoption(nil, 1)", function() return P(s:setoption(nil, 1)) end)
try("setoption('keepalive')", function() return P(s:setoption("keepalive")) end)
try("setoption('keepalive', nil)", function() return P(s:setoption("keepalive", nil)) end)
try("setoption('nope')", function() return P(s:setoption("nope")) end)
