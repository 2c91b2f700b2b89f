-- peer: send:ab;sleep:700;send:cd;hold
-- receiveany times out with "" as partial and the connection stays usable.
local ctx = ...
local s = ctx.tcp()
s:settimeout(200)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("receiveany(10)", s:receiveany(10))
ctx.show("receiveany(10) again", s:receiveany(10))
s:settimeout(3000)
ctx.show("receiveany(10) later", s:receiveany(10))
ctx.show("close", s:close())
