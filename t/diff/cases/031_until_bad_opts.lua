-- peer: send:abc;hold
-- receiveuntil's options: a table whose inclusive is a boolean or nil.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
try("opts 'x'", function() return P(s:receiveuntil("b", "x")) end)
try("opts 5", function() return P(s:receiveuntil("b", 5)) end)
try("opts true", function() return P(s:receiveuntil("b", true)) end)
try("opts nil", function() return P(s:receiveuntil("b", nil)) end)
try("inclusive 'x'", function() return P(s:receiveuntil("b", { inclusive = "x" })) end)
try("inclusive 1", function() return P(s:receiveuntil("b", { inclusive = 1 })) end)
try("inclusive {}", function() return P(s:receiveuntil("b", { inclusive = {} })) end)
try("inclusive true", function() return P(s:receiveuntil("b", { inclusive = true })) end)
try("inclusive false", function() return P(s:receiveuntil("b", { inclusive = false })) end)
try("other key", function() return P(s:receiveuntil("b", { other = 1 })) end)
