-- peer: echo
-- Many request/setkeepalive cycles on one pooled connection, alternating
-- between two socket objects: the count grows by one each time and the
-- echo answers from the same connection.
local ctx = ...
local show = ctx.show
local socks = { ctx.tcp(), ctx.tcp() }
local counts, bad = {}, {}
for i = 1, 60 do
  local s = socks[i % 2 + 1]
  s:settimeout(2000)
  local ok, err = s:connect("127.0.0.1", ctx.port)
  if not ok then bad[#bad + 1] = "connect " .. i .. ": " .. tostring(err) end
  counts[#counts + 1] = s:getreusedtimes()
  s:send("line " .. i .. "\n")
  local line = s:receive()
  if line ~= "line " .. i then bad[#bad + 1] = "echo " .. i .. ": " .. tostring(line) end
  ok, err = s:setkeepalive(0)
  if ok ~= 1 then bad[#bad + 1] = "setkeepalive " .. i .. ": " .. tostring(err) end
end
show("reuse counts", table.concat(counts, " "))
show("problems", table.concat(bad, "; "))
show("connect", socks[1]:connect("127.0.0.1", ctx.port))
show("getreusedtimes", socks[1]:getreusedtimes())
show("close", socks[1]:close())
