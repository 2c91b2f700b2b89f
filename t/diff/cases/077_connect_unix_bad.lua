-- peer: none
-- "unix:" without a path; paths that are not sockets.
local ctx = ...
local P, try = ctx.pack, ctx.try
local dir = ctx.path:match("^(.*)/[^/]*$")
try("unix:", function() return P(ctx.tcp():connect("unix:")) end)
try("a directory", function() return P(ctx.tcp():connect("unix:" .. dir)) end)
try("a regular file", function() return P(ctx.tcp():connect("unix:/etc/passwd")) end)
local long = "unix:/tmp/" .. string.rep("x", 120)
try("path too long", function() return P(ctx.tcp():connect(long)) end)
