-- peer: recv:300000;send:done\n;hold
-- A large nested table is flattened into one send.
local ctx = ...
local s = ctx.tcp()
s:settimeout(5000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local t = {}
for i = 1, 10000 do t[i] = { "0123456789", { "abcdefghij", 1234567890 } } end
ctx.show("send table", s:send(t))
ctx.show("receive()", s:receive())
