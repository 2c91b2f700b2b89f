-- peer: send:abc;hold
-- receiveuntil's pattern: "" is refused with a return value, non-strings
-- with an error; numbers are converted.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
try("receiveuntil('')", function() return P(s:receiveuntil("")) end)
try("receiveuntil(nil)", function() return P(s:receiveuntil(nil)) end)
try("receiveuntil({})", function() return P(s:receiveuntil({})) end)
try("receiveuntil(true)", function() return P(s:receiveuntil(true)) end)
try("receiveuntil(print)", function() return P(s:receiveuntil(print)) end)
try("receiveuntil()", function() return P(s:receiveuntil()) end)
try("receiveuntil('x', {}, 1)", function() return P(s:receiveuntil("x", {}, 1)) end)
try("receiveuntil(5)", function() return P(s:receiveuntil(5)) end)
