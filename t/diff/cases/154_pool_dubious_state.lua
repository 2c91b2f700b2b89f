-- peer: recvline;send:abcd\n;recvline;send:extra\n;hold
-- The peer sent bytes nobody read (they wait in the kernel): setkeepalive
-- answers "connection in dubious state" and the connection is gone.
-- The peer's second step waits for the client's second line, not for a
-- delay, so that no read can meet it early, however late the reads run.
local ctx = ...
local show = ctx.show
local s = ctx.tcp()
s:settimeout(2000)
show("connect", s:connect("127.0.0.1", ctx.port))
show("send", s:send("go\n"))
show("receive()", s:receive())
show("send", s:send("more\n"))
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
