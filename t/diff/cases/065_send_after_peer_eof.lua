-- peer: send:bye\n;close
-- The peer closed (FIN): reads report the EOF, the first send after it is
-- still accepted by the kernel, close answers 1.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("receive()", s:receive())
ctx.show("receive() at EOF", s:receive())
ctx.show("send", s:send("hello"))
ctx.show("close", s:close())
