-- peer: send:0123456789\n;hold
-- Non-string, non-number patterns and numbers out of range raise
-- "bad pattern argument"; an explicit nil is not the default '*l'.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
try("receive(nil)", function() return P(s:receive(nil)) end)
try("receive({})", function() return P(s:receive({})) end)
try("receive(true)", function() return P(s:receive(true)) end)
try("receive(false)", function() return P(s:receive(false)) end)
try("receive(print)", function() return P(s:receive(print)) end)
try("receive(-1)", function() return P(s:receive(-1)) end)
try("receive('-1')", function() return P(s:receive("-1")) end)
try("receive(1e100)", function() return P(s:receive(1e100)) end)
try("receive(-1e100)", function() return P(s:receive(-1e100)) end)
try("receive(2^63)", function() return P(s:receive(2^63)) end)
try("receive(math.huge)", function() return P(s:receive(math.huge)) end)
try("receive(-math.huge)", function() return P(s:receive(-math.huge)) end)
try("receive(0/0)", function() return P(s:receive(0/0)) end)
ctx.show("nothing consumed", s:receive())
