-- peer: send:first|second|;close
-- An iterator made before a reconnect reads from the new connection.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local it = s:receiveuntil("|")
ctx.show("it()", it())
ctx.show("connect again", s:connect("127.0.0.1", ctx.port))
ctx.show("it()", it())
ctx.show("it()", it())
ctx.show("it()", it())
