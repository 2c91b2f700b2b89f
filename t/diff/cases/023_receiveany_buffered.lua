-- peer: send:line\nABCDEFGH;sleep:600;send:tail;hold
-- receiveany returns buffered bytes at once (at most max) and otherwise
-- what one read brings.
local ctx = ...
local s = ctx.tcp()
s:settimeout(3000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("receive()", s:receive())
ctx.show("receiveany(3)", s:receiveany(3))
ctx.show("receiveany(100)", s:receiveany(100))
ctx.show("receiveany(2)", s:receiveany(2))
ctx.show("receive(2)", s:receive(2))
ctx.show("close", s:close())
