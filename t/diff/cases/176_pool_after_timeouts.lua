-- peer: sleep:3000
-- A read timeout keeps the connection poolable; a send timeout closes the
-- writing half, so setkeepalive says "closed" (close still answers 1).
local ctx = ...
local show = ctx.show
local s = ctx.tcp()
s:settimeout(200)
show("connect", s:connect("127.0.0.1", ctx.port))
show("receive()", s:receive())
show("setkeepalive after a read timeout", s:setkeepalive(0))
show("connect", s:connect("127.0.0.1", ctx.port))
show("getreusedtimes", s:getreusedtimes())
s:settimeout(300)
local big = string.rep("x", 1024 * 1024)
local ok, err
for _ = 1, 64 do
  ok, err = s:send(big)
  if not ok then break end
end
show("send until timeout", ok, err)
show("setkeepalive after a send timeout", s:setkeepalive(0))
show("getreusedtimes", s:getreusedtimes())
show("close", s:close())
show("connect", s:connect("127.0.0.1", ctx.port))
show("getreusedtimes", s:getreusedtimes())
show("close", s:close())
