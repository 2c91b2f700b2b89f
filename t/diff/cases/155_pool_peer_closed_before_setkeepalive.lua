-- peer: recvline;send:ok\n;recvline;close
-- The peer closed before setkeepalive: "closed", and the socket is left as
-- it was (send still goes out, close answers 1). Also with part of the
-- answer still in our buffer: the EOF wins over the buffered bytes.
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
show("send", s:send("x"))
show("receive()", s:receive())
show("setkeepalive after EOF read", s:setkeepalive())
show("close", s:close())
show("connect", s:connect("127.0.0.1", ctx.port))
show("send", s:send("go\n"))
show("receive(1)", s:receive(1))
show("send", s:send("more\n"))
ctx.sleep(0.4)
show("setkeepalive", s:setkeepalive())
show("receive()", s:receive())
show("close", s:close())
