-- peer: send:\n\r\n\r\r\n\rx\r\n;close
-- Empty lines and lines made only of CRs.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
for i = 1, 5 do ctx.show("line " .. i, s:receive()) end
