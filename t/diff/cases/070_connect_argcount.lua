-- peer: none
-- connect takes 1 to 3 arguments besides the socket.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
try("connect()", function() return P(s:connect()) end)
try("connect(4 args)", function() return P(s:connect("127.0.0.1", 1, {}, 1)) end)
try("s.connect()", function() return P(s.connect()) end)
