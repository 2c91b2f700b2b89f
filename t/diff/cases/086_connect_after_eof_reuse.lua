-- peer: send:one\n;close
-- A socket whose peer closed can connect again and read afresh.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("receive()", s:receive())
ctx.show("receive()", s:receive())
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("receive()", s:receive())
ctx.show("close", s:close())
