-- peer-tls: two_names -rev
-- A second sslhandshake on a live TLS connection, for another name that
-- the server's certificate also lists (DNS:conf.test, DNS:alt.conf.test):
-- ngx_lua returns at once (a session, or true), and so does the native
-- socket, which checks the name against the certificate (a name it does
-- not cover differs on purpose: spec/tls_spec.lua).
local ctx = ...
local show = ctx.show
local s = ctx.tcp()
s:settimeout(3000)
show("connect", s:connect("127.0.0.1", ctx.port))
show("sslhandshake conf.test", s:sslhandshake(nil, "conf.test", true))
show("sslhandshake alt.conf.test", s:sslhandshake(nil, "alt.conf.test", true))
show("sslhandshake(false) alt.conf.test", s:sslhandshake(false, "alt.conf.test", true))
show("sslhandshake(false) conf.test, unverified", s:sslhandshake(false, "conf.test", false))
show("send", s:send("hello\n"))
show("receive", s:receive())
show("close", s:close())
