-- peer: send:a\x00b\n\x00\x00\r\n\xff\xfe\x00;close
-- NUL and high bytes pass through lines and sizes unchanged.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("line", s:receive())
ctx.show("line", s:receive())
ctx.show("size 2", s:receive(2))
ctx.show("*a", s:receive("*a"))
