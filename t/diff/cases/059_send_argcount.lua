-- peer: echo
-- send takes exactly one argument.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
try("send()", function() return P(s:send()) end)
try("send('a', 'b')", function() return P(s:send("a", "b")) end)
try("s.send()", function() return P(s.send()) end)
