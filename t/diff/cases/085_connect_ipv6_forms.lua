-- peer: none
-- IPv6 literals: bracketed works (nothing listens here), bare "::1" is
-- parsed as host:port by ngx_lua.
local ctx = ...
local P, try = ctx.pack, ctx.try
try("[::1]", function() return P(ctx.tcp():connect("[::1]", ctx.port)) end)
try("::1", function() return P(ctx.tcp():connect("::1", ctx.port)) end)
