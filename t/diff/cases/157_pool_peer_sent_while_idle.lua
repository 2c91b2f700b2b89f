-- peer: recvline;send:ok\n;sleep:150;send:junk\n;hold
-- A pooled connection that received bytes while idle is never handed out:
-- the next user would read them as its answer.
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
