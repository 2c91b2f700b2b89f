-- peer: send:abc;sleep:150;reset
-- receiveany returns the data first, then the reset.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.sleep(0.4)
ctx.show("receiveany(10)", s:receiveany(10))
ctx.show("receiveany(10)", s:receiveany(10))
ctx.show("receiveany(10)", s:receiveany(10))
