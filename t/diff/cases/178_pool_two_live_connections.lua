-- peer: recvline;send:1\n;recvline;send:2\n;recvline;send:3\n;hold
-- Two connections pooled at once come back most recent first, each with
-- its own count and its own place in the peer's script.
local ctx = ...
local show = ctx.show
local a, b = ctx.tcp(), ctx.tcp()
a:settimeout(2000)
b:settimeout(2000)
local function req(label, s)
  show(label .. " send", s:send("x\n"))
  show(label .. " receive()", s:receive())
end
show("a", a:connect("127.0.0.1", ctx.port))
show("b", b:connect("127.0.0.1", ctx.port))
req("a", a)
req("a", a)
req("b", b)
show("a setkeepalive", a:setkeepalive(0))
show("b setkeepalive", b:setkeepalive(0))
show("a", a:connect("127.0.0.1", ctx.port))
show("a getreusedtimes", a:getreusedtimes())
req("a (B's connection)", a)
show("b", b:connect("127.0.0.1", ctx.port))
show("b getreusedtimes", b:getreusedtimes())
req("b (A's connection)", b)
show("a close", a:close())
show("b close", b:close())
