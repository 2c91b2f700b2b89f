-- peer: send:hello;close
-- After the peer's EOF was read, setkeepalive says "closed"; the socket can
-- still close (1) and connect again.
local ctx = ...
local show = ctx.show
local s = ctx.tcp()
s:settimeout(2000)
show("connect", s:connect("127.0.0.1", ctx.port))
show("receive('*a')", s:receive("*a"))
show("setkeepalive", s:setkeepalive())
show("getreusedtimes", s:getreusedtimes())
show("close", s:close())
show("connect", s:connect("127.0.0.1", ctx.port))
show("receive(5)", s:receive(5))
show("receive(1)", s:receive(1))
show("setkeepalive", s:setkeepalive())
show("close", s:close())
