-- peer: sleep:700;send:late;close
-- receiveany times out on a silent peer and later gets the data and EOF.
local ctx = ...
local s = ctx.tcp()
s:settimeout(250)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("receiveany(10)", s:receiveany(10))
s:settimeout(3000)
ctx.show("receiveany(10)", s:receiveany(10))
ctx.show("receiveany(10)", s:receiveany(10))
