-- peer: send:XYZ;close
-- receiveany at EOF: nil, "closed", "" first, then nil, "closed".
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.sleep(0.2)
ctx.show("receiveany(100)", s:receiveany(100))
ctx.show("receiveany(100) at EOF", s:receiveany(100))
ctx.show("receiveany(100) after", s:receiveany(100))
ctx.show("receive()", s:receive())
ctx.show("close", s:close())
