-- peer: recvline;send:ok\n;sleep:150;close
-- The peer closed before setkeepalive: "closed", and the socket is left as
-- it was (send still goes out, close answers 1). Also with part of the
-- answer still in our buffer: the EOF wins over the buffered bytes.
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
show("send", s:send("x"))
show("receive()", s:receive())
show("setkeepalive after EOF read", s:setkeepalive())
show("close", s:close())
show("connect", s:connect("127.0.0.1", ctx.port))
show("send", s:send("go\n"))
show("receive(1)", s:receive(1))
ctx.sleep(0.4)
show("setkeepalive", s:setkeepalive())
show("receive()", s:receive())
show("close", s:close())
