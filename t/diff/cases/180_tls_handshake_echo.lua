-- peer-tls: server -rev
-- sslhandshake verified against the test CA (lua_ssl_trusted_certificate /
-- set_luasec_defaults), data both ways over TLS, a second handshake on the
-- same connection, close, and what a closed TLS socket says.
local ctx = ...
local show = ctx.show
local s = ctx.tcp()
s:settimeout(3000)
show("connect", s:connect("127.0.0.1", ctx.port))
show("sslhandshake", s:sslhandshake(nil, "localhost", true))
show("send", s:send("hello\n"))
show("receive", s:receive())
show("send table", s:send({"ab", 1, "\n"}))
show("receive", s:receive())
show("sslhandshake again, false", s:sslhandshake(false, "localhost", true))
show("sslhandshake again, nil", s:sslhandshake(nil, "localhost", true))
show("send", s:send("xyz\n"))
show("receive", s:receive())
show("close", s:close())
show("send after close", s:send("x"))
show("receive after close", s:receive())
show("sslhandshake after close", s:sslhandshake(nil, "localhost", true))
show("close again", s:close())
