-- peer: send:ab\r;sleep:100;send:\ncd\r;sleep:100;send:\r\n;close
-- CR and LF arriving in separate packets.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("receive()", s:receive())
ctx.show("receive()", s:receive())
ctx.show("receive()", s:receive())
