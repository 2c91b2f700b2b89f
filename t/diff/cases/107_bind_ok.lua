-- peer: send:bound\n;hold
-- bind to a local address before connect.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
s:settimeout(2000)
try("bind", function() return P(s:bind("127.0.0.1")) end)
try("connect", function() return P(s:connect("127.0.0.1", ctx.port)) end)
try("receive", function() return P(s:receive()) end)
try("close", function() return P(s:close()) end)
try("bind after close", function() return P(s:bind("127.0.0.1")) end)
try("connect again", function() return P(s:connect("127.0.0.1", ctx.port)) end)
try("receive", function() return P(s:receive()) end)
