-- peer: sleep:3000
-- A peer that never reads: the send times out. ngx_lua 0.10.23 closes only
-- the writing half then.
local ctx = ...
local s = ctx.tcp()
s:settimeouts(2000, 300, 300)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("send 16 MB", s:send(string.rep("x", 16 * 1024 * 1024)))
ctx.show("send again", s:send("x"))
ctx.show("receive()", s:receive())
ctx.show("close", s:close())
