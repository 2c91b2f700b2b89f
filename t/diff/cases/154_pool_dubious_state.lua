-- peer: recvline;send:abcd\n;sleep:100;send:extra\n;hold
-- The peer sent bytes nobody read (they wait in the kernel): setkeepalive
-- answers "connection in dubious state" and the connection is gone.
local ctx = ...
local show = ctx.show
local s = ctx.tcp()
s:settimeout(2000)
show("connect", s:connect("127.0.0.1", ctx.port))
show("send", s:send("go\n"))
show("receive()", s:receive())
ctx.sleep(0.4)
show("setkeepalive", s:setkeepalive())
show("getreusedtimes", s:getreusedtimes())
show("receive()", s:receive())
show("send", s:send("x"))
show("setkeepalive again", s:setkeepalive())
show("close", s:close())
show("connect", s:connect("127.0.0.1", ctx.port))
show("getreusedtimes (fresh)", s:getreusedtimes())
show("send", s:send("go\n"))
show("receive()", s:receive())
show("close", s:close())
