-- peer: send:data\nmore;shutdown;recvline;sleep:300
-- The peer shuts down its writing half but still reads: reads end with
-- "closed", sends still work, close answers 1.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("receive()", s:receive())
ctx.show("receive()", s:receive())
ctx.show("send", s:send("ping\n"))
ctx.show("receive()", s:receive())
ctx.show("close", s:close())
