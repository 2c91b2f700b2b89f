-- peer: send:abcd--XYabcdefgh--XY;close
-- Data before the pattern exactly one or two sizes long.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local it = s:receiveuntil("--XY")
for i = 1, 8 do ctx.show("it(4) #" .. i, it(4)) end
