-- peer: recvline;send:ok\n;sleep:100;send:extra\n;close
-- The peer sent more and closed before setkeepalive: ngx_lua sees the EOF
-- (EPOLLRDHUP) first and answers "closed" without touching the socket; the
-- unread bytes can still be received.
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
show("receive()", s:receive())
show("close", s:close())
