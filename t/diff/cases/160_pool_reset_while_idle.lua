-- peer: recvline;send:ok\n;sleep:100;reset
-- A pooled connection the peer reset while idle is dropped: connect makes
-- a fresh one.
local ctx = ...
local show = ctx.show
local s = ctx.tcp()
s:settimeout(2000)
show("connect", s:connect("127.0.0.1", ctx.port))
show("send", s:send("go\n"))
show("receive()", s:receive())
show("setkeepalive(0)", s:setkeepalive(0))
ctx.sleep(0.4)
show("connect", s:connect("127.0.0.1", ctx.port))
show("getreusedtimes", s:getreusedtimes())
show("send", s:send("go\n"))
show("receive()", s:receive())
show("close", s:close())
