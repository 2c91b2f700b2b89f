-- peer: send:abc;hold
-- receiveuntil on a closed or never-connected socket still hands out an
-- iterator; calling it answers nil, "closed".
local ctx = ...
local P, try = ctx.pack, ctx.try
local fresh = ctx.tcp()
try("unconnected receiveuntil", function() return P(type(fresh:receiveuntil("x"))) end)
local it0 = fresh:receiveuntil("x")
try("unconnected it()", function() return P(it0()) end)
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local it = s:receiveuntil("b")
ctx.show("close", s:close())
try("old iterator", function() return P(it()) end)
try("new iterator", function() return P(type(s:receiveuntil("b"))) end)
try("new iterator call", function() return P(s:receiveuntil("b")()) end)
