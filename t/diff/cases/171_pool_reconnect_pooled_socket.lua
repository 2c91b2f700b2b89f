-- peer: recvline;send:1\n;recvline;send:2\n;recvline;send:3\n;hold
-- A socket holding a pooled connection: connect again closes it (the next
-- connect is fresh); close closes it; a failed connect leaves nothing.
local ctx = ...
local show = ctx.show
local name = "re" .. ctx.port
local s, s2 = ctx.tcp(), ctx.tcp()
s:settimeout(2000)
s2:settimeout(2000)
local function req(sock, label)
  show(label .. " send", sock:send("x\n"))
  show(label .. " receive()", sock:receive())
end
show("s", s:connect("127.0.0.1", ctx.port, { pool = name }))
req(s, "s")
show("s setkeepalive", s:setkeepalive(0))
show("s takes it", s:connect("127.0.0.1", ctx.port, { pool = name }))
show("s getreusedtimes", s:getreusedtimes())
req(s, "s")
show("s connect again", s:connect("127.0.0.1", ctx.port, { pool = name }))
show("s getreusedtimes", s:getreusedtimes())
req(s, "s")
show("s setkeepalive", s:setkeepalive(0))
show("s2 takes it", s2:connect("127.0.0.1", ctx.port, { pool = name }))
show("s2 getreusedtimes", s2:getreusedtimes())
show("s2 close", s2:close())
show("s2", s2:connect("127.0.0.1", ctx.port, { pool = name }))
show("s2 getreusedtimes", s2:getreusedtimes())
req(s2, "s2")
show("s2 setkeepalive", s2:setkeepalive(0))
show("s takes it", s:connect("127.0.0.1", ctx.port, { pool = name }))
show("s getreusedtimes", s:getreusedtimes())
show("s refused", s:connect("127.0.0.1", 1, { pool = name }))
show("s getreusedtimes", s:getreusedtimes())
show("s close", s:close())
show("s", s:connect("127.0.0.1", ctx.port, { pool = name }))
show("s getreusedtimes", s:getreusedtimes())
show("s close", s:close())
