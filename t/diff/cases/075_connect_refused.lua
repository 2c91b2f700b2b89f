-- peer: none
-- Nothing listens: refused; the socket then answers nil, "closed".
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
s:settimeout(2000)
try("connect", function() return P(s:connect("127.0.0.1", ctx.port)) end)
try("receive()", function() return P(s:receive()) end)
try("send('x')", function() return P(s:send("x")) end)
try("close()", function() return P(s:close()) end)
try("connect again", function() return P(s:connect("127.0.0.1", ctx.port)) end)
