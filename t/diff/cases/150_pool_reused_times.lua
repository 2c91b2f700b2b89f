-- peer: recvline;send:first\n;recvline;send:second\n;recvline;send:third\n;recvline;send:fourth\n;hold
-- getreusedtimes: 0 for a fresh connection, then 1, 2, 3 as the same
-- connection comes back out of the pool; the peer answers from the same
-- child (second, third, ...), so it is the same server-side connection.
local ctx = ...
local show = ctx.show
local s = ctx.tcp()
s:settimeout(2000)
for i = 1, 4 do
  show("connect " .. i, s:connect("127.0.0.1", ctx.port))
  show("getreusedtimes", s:getreusedtimes())
  show("send", s:send("req " .. i .. "\n"))
  show("receive()", s:receive())
  show("setkeepalive", s:setkeepalive())
  show("getreusedtimes after setkeepalive", s:getreusedtimes())
  show("send after setkeepalive", s:send("x"))
  show("receive after setkeepalive", s:receive())
end
show("setkeepalive again", s:setkeepalive())
show("close after setkeepalive", s:close())
-- leave nothing pooled: nginx keeps its pools from one request to the next
show("connect", s:connect("127.0.0.1", ctx.port))
show("getreusedtimes", s:getreusedtimes())
show("close", s:close())
