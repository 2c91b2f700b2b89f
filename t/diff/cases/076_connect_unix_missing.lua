-- peer: none
-- A unix socket path that does not exist; extra arguments are ignored.
local ctx = ...
local P, try = ctx.pack, ctx.try
local target = "unix:" .. ctx.path
try("path", function() return P(ctx.tcp():connect(target)) end)
try("path + port", function() return P(ctx.tcp():connect(target, 80)) end)
try("path + opts", function() return P(ctx.tcp():connect(target, {})) end)
try("path + 2 more", function() return P(ctx.tcp():connect(target, "a", "b")) end)
try("relative path", function() return P(ctx.tcp():connect("unix:no-such-relative.sock")) end)
local s = ctx.tcp()
try("then receive", function() s:connect(target) return P(s:receive()) end)
