-- peer-tls: server -tls1_2 -rev
-- a TLS connection back from the pool keeps its TLS layer: sslhandshake on
-- it succeeds at once, and data still goes through TLS.
local ctx = ...
local show = ctx.show
local s = ctx.tcp()
s:settimeout(3000)
show("connect", s:connect("127.0.0.1", ctx.port))
show("getreusedtimes", s:getreusedtimes())
show("sslhandshake", s:sslhandshake(nil, "localhost", true))
show("send", s:send("one\n"))
show("receive", s:receive())
show("setkeepalive", s:setkeepalive())
show("connect again", s:connect("127.0.0.1", ctx.port))
show("getreusedtimes", s:getreusedtimes())
show("sslhandshake(nil)", s:sslhandshake(nil, "localhost", true))
show("sslhandshake(false)", s:sslhandshake(false, "localhost", true))
show("send", s:send("two\n"))
show("receive", s:receive())
-- leave nothing pooled: nginx keeps its pools from one request to the next
show("close", s:close())
