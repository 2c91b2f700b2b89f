-- peer: echo
-- Values that cannot be sent at all.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
try("send(print)", function() return P(s:send(print)) end)
try("send(io.stdout)", function() return P(s:send(io.stdout)) end)
local co = coroutine.create(function() end)
try("send(coroutine)", function() return P(s:send(co)) end)
try("send('x')", function() return P(s:send("x")) end)
ctx.show("echo", s:receive(1))
