-- peer: recv:4194304;send:got it\n;hold
-- A 4 MB send to a reading peer completes and returns the full count.
local ctx = ...
local s = ctx.tcp()
s:settimeout(5000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("send 4 MB", s:send(string.rep("0123456789abcdef", 262144)))
ctx.show("receive()", s:receive())
ctx.show("close", s:close())
