-- peer-unix: send:hi\n;echo
-- A unix domain peer: same calls, same answers as TCP.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("unix:" .. ctx.path))
ctx.show("receive()", s:receive())
ctx.show("send", s:send({ "abc", 1 }))
ctx.show("receive(4)", s:receive(4))
ctx.show("receiveany(10)", s:receiveany(10))
ctx.show("close", s:close())
ctx.show("close again", s:close())
