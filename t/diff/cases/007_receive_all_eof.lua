-- peer: send:hello\nworld;close
-- '*a' reads to EOF; at EOF it returns "" again and again without closing;
-- a line read then reports nil, "closed", "" and closes.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("*a", s:receive("*a"))
ctx.show("*a again", s:receive("*a"))
ctx.show("*a third", s:receive("*a"))
ctx.show("*l", s:receive("*l"))
ctx.show("*l again", s:receive("*l"))
ctx.show("*a closed", s:receive("*a"))
ctx.show("receiveany", s:receiveany(5))
ctx.show("close", s:close())
