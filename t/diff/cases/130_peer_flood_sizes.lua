-- peer: flood:500000;close
-- Many size reads over a large stream; the last one runs into EOF.
local ctx = ...
local s = ctx.tcp()
s:settimeout(5000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local total, n = 0, 0
while true do
  local data, err, partial = s:receive(7777)
  if not data then
    ctx.show("end", err, partial and #partial)
    break
  end
  total = total + #data
  n = n + 1
end
ctx.show("full reads, bytes", n, total)
