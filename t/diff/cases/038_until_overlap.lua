-- peer: send:aabaabaaabaaaab|abaabac|;close
-- Patterns whose prefix repeats: the matcher must back off correctly.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local it = s:receiveuntil("aab")
for i = 1, 6 do ctx.show("aab #" .. i, it()) end
