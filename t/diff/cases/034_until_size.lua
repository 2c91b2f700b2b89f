-- peer: send:abcdefghij--XYshort--XY--XYlongerdata12345--XYend;close
-- Iterator with size: pieces of at most size bytes, then nil, nil, nil at
-- the pattern; the next call starts the next round.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local it = s:receiveuntil("--XY")
for i = 1, 17 do ctx.show("it(4) #" .. i, it(4)) end
