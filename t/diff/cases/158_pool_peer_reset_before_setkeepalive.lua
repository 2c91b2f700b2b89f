-- peer: recvline;send:ok\n;recvline;reset
-- The peer reset the connection before setkeepalive: ngx_lua knows the
-- peer is gone (EPOLLRDHUP) and answers "closed", leaving the socket as it
-- was (close answers 1).
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
show("close", s:close())
