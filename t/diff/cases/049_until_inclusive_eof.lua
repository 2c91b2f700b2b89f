-- peer: send:abc--XYdef--X;close
-- inclusive: EOF before the pattern gives the data without the held bytes.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local it = s:receiveuntil("--XY", { inclusive = true })
for i = 1, 4 do ctx.show("it(2) #" .. i, it(2)) end
