-- peer: send:hi\n;hold
-- connect on a connected socket replaces the connection; a closed socket
-- can connect again.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("connect again", s:connect("127.0.0.1", ctx.port))
ctx.show("receive()", s:receive())
ctx.show("close", s:close())
ctx.show("connect after close", s:connect("127.0.0.1", ctx.port))
ctx.show("receive()", s:receive())
ctx.show("close", s:close())
