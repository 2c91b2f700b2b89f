-- peer: sleep:1200;send:late\n;hold
-- settimeout(0), settimeout(nil) and non-numbers restore the default
-- (60 s): a read then waits instead of failing at once.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
s:settimeout(100)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
try("settimeout(0)", function() return P(s:settimeout(0)) end)
ctx.show("receive()", s:receive())
s:settimeout(100)
try("settimeout(nil)", function() return P(s:settimeout(nil)) end)
local s2 = ctx.tcp()
s2:settimeout("abc")
ctx.show("connect", s2:connect("127.0.0.1", ctx.port))
ctx.show("receive()", s2:receive())
