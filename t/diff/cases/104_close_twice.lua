-- peer: hold
-- close answers 1 once, then nil, "closed".
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
try("close", function() return P(s:close()) end)
try("close again", function() return P(s:close()) end)
try("close third", function() return P(s:close()) end)
try("close(extra)", function() return P(s:close(1)) end)
