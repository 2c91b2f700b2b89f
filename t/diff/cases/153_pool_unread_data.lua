-- peer: recvline;send:abcd\n;recvline;send:efgh\n;hold
-- Bytes still in our receive buffer: setkeepalive says "unread data in
-- buffer" and leaves the socket as it was; once they are read, it pools.
local ctx = ...
local show = ctx.show
local s = ctx.tcp()
s:settimeout(2000)
show("connect", s:connect("127.0.0.1", ctx.port))
show("send", s:send("one\n"))
ctx.sleep(0.2)
show("receive(2)", s:receive(2))
show("setkeepalive", s:setkeepalive())
show("getreusedtimes", s:getreusedtimes())
show("setkeepalive(0, 3)", s:setkeepalive(0, 3))
show("receive()", s:receive())
show("setkeepalive", s:setkeepalive())
show("connect", s:connect("127.0.0.1", ctx.port))
show("getreusedtimes", s:getreusedtimes())
show("send", s:send("two\n"))
show("receive()", s:receive())
show("close", s:close())
-- a receiveuntil iterator that stopped at its pattern leaves the rest buffered
show("connect", s:connect("127.0.0.1", ctx.port))
show("send", s:send("one\n"))
ctx.sleep(0.2)
local it = s:receiveuntil("b")
show("until b", it())
show("setkeepalive", s:setkeepalive())
show("receive()", s:receive())
show("setkeepalive", s:setkeepalive())
show("connect", s:connect("127.0.0.1", ctx.port))
show("getreusedtimes", s:getreusedtimes())
show("close", s:close())
