-- peer: echo
-- Round trips through an echoing peer, with lines, sizes and receiveany.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("send", s:send("ping\r\n"))
ctx.show("receive()", s:receive())
ctx.show("send", s:send({ "a", "b", "c" }))
ctx.show("receive(3)", s:receive(3))
ctx.show("send", s:send(12345))
ctx.show("receiveany(100)", s:receiveany(100))
ctx.show("send 200 KB", s:send(string.rep("y", 200000)))
ctx.show("receive(200000)", s:receive(200000))
ctx.show("close", s:close())
