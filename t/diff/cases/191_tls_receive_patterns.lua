-- peer-tls: server -rev
-- receive(n), receive(), receiveuntil and receiveany over TLS, and a read
-- timeout that leaves the connection usable.
local ctx = ...
local show = ctx.show
local s = ctx.tcp()
s:settimeout(3000)
show("connect", s:connect("127.0.0.1", ctx.port))
show("sslhandshake", s:sslhandshake(false, "localhost", true))
show("send", s:send("abc\n"))
show("receive(2)", s:receive(2))
show("receive()", s:receive())
show("send", s:send("defgh\n"))
local it = s:receiveuntil("f")
show("receiveuntil f", it())
show("receiveany(100)", s:receiveany(100))
s:settimeout(200)
show("receive timeout", s:receive())
s:settimeout(3000)
show("send", s:send("xy\n"))
show("receive", s:receive())
show("close", s:close())
