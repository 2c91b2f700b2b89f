-- peer: send:ab\x00\x00cd\x00ef\x00\x00;close
-- Patterns may contain NUL bytes.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local it = s:receiveuntil("\0\0")
ctx.show("it()", it())
ctx.show("it()", it())
ctx.show("it()", it())
