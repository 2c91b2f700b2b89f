-- peer: none
-- A TCP host without a usable port.
local ctx = ...
local P, try = ctx.pack, ctx.try
try("connect(host)", function() return P(ctx.tcp():connect("127.0.0.1")) end)
try("connect(host, nil)", function() return P(ctx.tcp():connect("127.0.0.1", nil)) end)
try("port 'abc'", function() return P(ctx.tcp():connect("127.0.0.1", "abc")) end)
try("port '80x'", function() return P(ctx.tcp():connect("127.0.0.1", "80x")) end)
try("port {}", function() return P(ctx.tcp():connect("127.0.0.1", {})) end)
try("port true", function() return P(ctx.tcp():connect("127.0.0.1", true)) end)
