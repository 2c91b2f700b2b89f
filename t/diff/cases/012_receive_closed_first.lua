-- peer: send:x\n;hold
-- On a closed socket the "closed" answer comes before the pattern check.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("close", s:close())
try("receive({})", function() return P(s:receive({})) end)
try("receive(-1)", function() return P(s:receive(-1)) end)
try("receive('x')", function() return P(s:receive("x")) end)
try("receive(0)", function() return P(s:receive(0)) end)
try("receive('*a')", function() return P(s:receive("*a")) end)
