-- peer: echo
-- Twenty connections to one peer stay independent.
local ctx = ...
local socks = {}
for i = 1, 20 do
  local s = ctx.tcp()
  s:settimeout(2000)
  local ok, err = s:connect("127.0.0.1", ctx.port)
  if not ok then ctx.show("connect " .. i, ok, err) end
  socks[i] = s
end
for i = 20, 1, -1 do socks[i]:send("sock " .. i .. "\n") end
local lines = {}
for i = 1, 20 do lines[#lines + 1] = socks[i]:receive() end
ctx.say(table.concat(lines, ","))
local closed = 0
for i = 1, 20 do if socks[i]:close() == 1 then closed = closed + 1 end end
ctx.show("closed", closed)
