-- peer: recvline;send:HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello;close
-- A tiny request/response exchange, the way client libraries use sockets.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("send", s:send({ "GET / HTTP/1.0", "\r\n" }))
ctx.show("status", s:receive())
local headers = s:receiveuntil("\r\n\r\n")
ctx.show("headers", headers())
ctx.show("body", s:receive(5))
ctx.show("after", s:receive())
ctx.show("close", s:close())
