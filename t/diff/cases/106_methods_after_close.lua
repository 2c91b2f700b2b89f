-- peer: send:data\n;hold
-- Every method on a closed socket.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("close", s:close())
try("send", function() return P(s:send("x")) end)
try("receive", function() return P(s:receive()) end)
try("receive(3)", function() return P(s:receive(3)) end)
try("receiveany", function() return P(s:receiveany(3)) end)
try("receiveuntil", function() return P(type(s:receiveuntil("x"))) end)
try("settimeout", function() return P(s:settimeout(1)) end)
try("settimeouts", function() return P(s:settimeouts(1, 1, 1)) end)
try("setoption", function() return P(s:setoption("tcp-nodelay", true)) end)
try("close", function() return P(s:close()) end)
