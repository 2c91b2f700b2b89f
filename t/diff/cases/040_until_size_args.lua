-- peer: send:abcdefghijklmnop--abcdefghij--0123456789--rest--;close
-- The iterator's size: <= 0 after truncation means "no size"; number
-- strings work; other types raise.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local it = s:receiveuntil("--")
try("it(0)", function() return P(it(0)) end)
try("it(-1)", function() return P(it(-1)) end)
try("it('3')", function() return P(it("3")) end)
try("it(2.5)", function() return P(it(2.5)) end)
try("it('x')", function() return P(it("x")) end)
try("it(nil)", function() return P(it(nil)) end)
try("it({})", function() return P(it({})) end)
try("it(true)", function() return P(it(true)) end)
try("it(1, 2)", function() return P(it(1, 2)) end)
try("it(0.5)", function() return P(it(0.5)) end)
try("it()", function() return P(it()) end)
