-- peer: send:aaa--XYbbb--XY--XYccc;close
-- inclusive = true appends the pattern to each piece.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local it = s:receiveuntil("--XY", { inclusive = true })
for i = 1, 6 do ctx.show("it() #" .. i, it()) end
