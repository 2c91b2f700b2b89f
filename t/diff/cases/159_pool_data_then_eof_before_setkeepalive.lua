-- peer: recvline;send:ok\n;recvline;send:extra\n;close
-- The peer sent more and closed before setkeepalive: ngx_lua sees the EOF
-- (EPOLLRDHUP) first and answers "closed" without touching the socket; the
-- unread bytes can still be received.
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
show("receive()", s:receive())
show("close", s:close())
