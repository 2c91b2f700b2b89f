-- peer: none
-- The host must be a string (numbers are converted).
local ctx = ...
local P, try = ctx.pack, ctx.try
try("host {}", function() return P(ctx.tcp():connect({}, ctx.port)) end)
try("host nil", function() return P(ctx.tcp():connect(nil, ctx.port)) end)
try("host true", function() return P(ctx.tcp():connect(true, ctx.port)) end)
try("host print", function() return P(ctx.tcp():connect(print, ctx.port)) end)
try("host ''", function() return P(ctx.tcp():connect("", ctx.port)) end)
