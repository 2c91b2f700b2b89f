-- peer: send:xaaaaby aaab aab aaaa;close
-- Pattern "aaa" against runs of a's of different lengths.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local it = s:receiveuntil("aaa")
for i = 1, 5 do ctx.show("it() #" .. i, it()) end
