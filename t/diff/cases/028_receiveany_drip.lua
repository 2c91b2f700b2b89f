-- peer: drip:200:abc;close
-- A dripping peer: each receiveany returns the one byte that arrived.
local ctx = ...
local s = ctx.tcp()
s:settimeout(3000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
for i = 1, 4 do ctx.show("receiveany(10) #" .. i, s:receiveany(10)) end
