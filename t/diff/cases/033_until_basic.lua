-- peer: send:--XYabc--XYdefghijklmn--XY--XYtail--X;close
-- Iterator without size: pattern at the start gives "", back-to-back
-- patterns give "", EOF gives the data before a held partial match.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local it = s:receiveuntil("--XY")
for i = 1, 7 do ctx.show("it() #" .. i, it()) end
ctx.show("close", s:close())
