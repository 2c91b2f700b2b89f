-- peer: send:line\n;hold
-- Argument count errors of receive.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
try("receive('*l', 'x')", function() return P(s:receive("*l", "x")) end)
try("receive(1, 2, 3)", function() return P(s:receive(1, 2, 3)) end)
try("s.receive()", function() return P(s.receive()) end)
try("receive()", function() return P(s:receive()) end)
