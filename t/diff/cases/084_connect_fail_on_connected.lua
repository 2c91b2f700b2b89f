-- peer: send:hi\n;hold
-- A connect that fails (bad port, missing port) on a connected socket.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("connect bad port", s:connect("127.0.0.1", 65536))
ctx.show("receive()", s:receive())
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("connect missing port", s:connect("127.0.0.1"))
ctx.show("receive()", s:receive())
