-- peer: send:aaa--XYbbbbbbbbbb--XYc;sleep:300;send:cc;close
-- inclusive with a size: the last piece carries the pattern and may be
-- longer than size.
local ctx = ...
local s = ctx.tcp()
s:settimeout(3000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local it = s:receiveuntil("--XY", { inclusive = true })
for i = 1, 12 do ctx.show("it(3) #" .. i, it(3)) end
