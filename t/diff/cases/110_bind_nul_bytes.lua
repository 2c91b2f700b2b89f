-- peer: none
-- bind's address with a NUL byte: nginx's parser sees all of it and refuses
-- it (a C string would have been a good address).
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
try("bind('127.0.0.1\\0junk')", function() return P(s:bind("127.0.0.1\0junk")) end)
try("bind('127.0.0.1\\0')", function() return P(s:bind("127.0.0.1\0")) end)
try("bind('\\0')", function() return P(s:bind("\0")) end)
try("bind('::1\\0x')", function() return P(s:bind("::1\0x")) end)
try("bind('127.0.0.1')", function() return P(s:bind("127.0.0.1")) end)
