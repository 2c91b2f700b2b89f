-- peer: sleep:200;reset
-- The peer's RST arrived before anything was read: send reports it, and
-- the socket is closed afterwards.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.sleep(0.5)
ctx.show("send", s:send("x"))
ctx.show("send again", s:send("x"))
ctx.show("close", s:close())
