-- peer: send:a|b\;c|d\;e|f;close
-- Two iterators on one socket, each used only after the other finished a
-- round (no partial match held when switching).
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local bar = s:receiveuntil("|")
local semi = s:receiveuntil(";")
ctx.show("bar", bar())
ctx.show("semi", semi())
ctx.show("bar", bar())
ctx.show("semi", semi())
ctx.show("bar", bar())
ctx.show("semi", semi())
ctx.show("bar", bar())
