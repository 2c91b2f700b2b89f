-- peer: drip:15:one\r\ntwo\n;drip:15:3456;close
-- A peer that writes one byte at a time: lines and sizes still assemble.
local ctx = ...
local s = ctx.tcp()
s:settimeout(3000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("line", s:receive())
ctx.show("line", s:receive())
ctx.show("size 3", s:receive(3))
ctx.show("size 3", s:receive(3))
ctx.show("close", s:close())
