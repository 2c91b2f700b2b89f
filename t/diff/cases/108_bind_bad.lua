-- peer: none
-- bind's argument: an IP literal string.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
try("bind('localhost')", function() return P(s:bind("localhost")) end)
try("bind('x')", function() return P(s:bind("x")) end)
try("bind(5)", function() return P(s:bind(5)) end)
try("bind('')", function() return P(s:bind("")) end)
try("bind({})", function() return P(s:bind({})) end)
try("bind(nil)", function() return P(s:bind(nil)) end)
try("bind()", function() return P(s:bind()) end)
try("bind(a, b)", function() return P(s:bind("127.0.0.1", 80)) end)
