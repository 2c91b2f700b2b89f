-- peer: none
-- Port numbers out of range, and ports nobody listens on.
local ctx = ...
local P, try = ctx.pack, ctx.try
try("65536", function() return P(ctx.tcp():connect("127.0.0.1", 65536)) end)
try("-1", function() return P(ctx.tcp():connect("127.0.0.1", -1)) end)
try("100000", function() return P(ctx.tcp():connect("127.0.0.1", 100000)) end)
try("'65536'", function() return P(ctx.tcp():connect("127.0.0.1", "65536")) end)
try("0", function() return P(ctx.tcp():connect("127.0.0.1", 0)) end)
try("free port", function() return P(ctx.tcp():connect("127.0.0.1", ctx.port)) end)
