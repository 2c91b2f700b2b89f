-- peer: flood:300000;send:--END--tail;close
-- receiveuntil over a flood, with and without size.
local ctx = ...
local s = ctx.tcp()
s:settimeout(5000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local it = s:receiveuntil("--END--")
local pieces, bytes = 0, 0
while true do
  local data, err = it(65536)
  if not data then ctx.show("end of round", err) break end
  pieces = pieces + 1
  bytes = bytes + #data
end
ctx.show("pieces, bytes", pieces, bytes)
ctx.show("next round", it())
