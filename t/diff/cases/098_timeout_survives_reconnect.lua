-- peer: sleep:1000;send:late\n;hold
-- The timeout set before connect applies to the new connection and after
-- a reconnect.
local ctx = ...
local s = ctx.tcp()
s:settimeout(200)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("receive()", s:receive())
ctx.show("close", s:close())
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("receive()", s:receive())
