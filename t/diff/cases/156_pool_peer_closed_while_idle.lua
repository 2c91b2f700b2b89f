-- peer: recvline;send:ok\n;sleep:150;close
-- A pooled connection that the peer closed while it was idle is never
-- handed out: connect makes a fresh one.
local ctx = ...
local show = ctx.show
local s = ctx.tcp()
s:settimeout(2000)
for i = 1, 2 do
  show("connect " .. i, s:connect("127.0.0.1", ctx.port))
  show("getreusedtimes", s:getreusedtimes())
  show("send", s:send("go\n"))
  show("receive()", s:receive())
  show("setkeepalive(0)", s:setkeepalive(0))
  ctx.sleep(0.4)
end
show("connect", s:connect("127.0.0.1", ctx.port))
show("getreusedtimes", s:getreusedtimes())
show("close", s:close())
