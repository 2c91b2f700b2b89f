-- peer: send:GET;sleep:700;send: /path\r\n;sleep:700;close
-- A stalling peer: timeouts with partials, then the line completes, then
-- the close.
local ctx = ...
local s = ctx.tcp()
s:settimeout(250)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("receive()", s:receive())
s:settimeout(3000)
ctx.show("receive()", s:receive())
s:settimeout(250)
ctx.show("receive()", s:receive())
s:settimeout(3000)
ctx.show("receive()", s:receive())
