-- peer: hold
-- backlog bounds the connections a pool has open (idle or in use): past
-- pool_size + backlog, connect fails at once with "too many waiting connect
-- operations". backlog alone gives the default size, 30. The backlog of a
-- pool that setkeepalive created is unlimited, whatever connect asks later.
local ctx = ...
local show = ctx.show
local function sock()
  local s = ctx.tcp()
  s:settimeout(2000)
  return s
end
local opts = { pool = "bl" .. ctx.port, pool_size = 1, backlog = 0 }
local s1, s2, s3 = sock(), sock(), sock()
show("s1", s1:connect("127.0.0.1", ctx.port, opts))
show("s2", s2:connect("127.0.0.1", ctx.port, opts))
show("s2 receive", s2:receive())
show("s2 getreusedtimes", s2:getreusedtimes())
show("s2 close", s2:close())
show("s1 setkeepalive", s1:setkeepalive(0))
show("s2 takes the idle one", s2:connect("127.0.0.1", ctx.port, opts))
show("s2 getreusedtimes", s2:getreusedtimes())
show("s3", s3:connect("127.0.0.1", ctx.port, opts))
show("s3 again", s3:connect("127.0.0.1", ctx.port, opts))
show("s2 close", s2:close())
show("s3 now", s3:connect("127.0.0.1", ctx.port, opts))
show("s3 close", s3:close())
-- backlog alone: pool size 30
local many, failed = {}, {}
for i = 1, 31 do
  many[i] = sock()
  local ok, err = many[i]:connect("127.0.0.1", ctx.port, { pool = "dflt" .. ctx.port, backlog = 0 })
  if not ok then failed[#failed + 1] = i .. ": " .. tostring(err) end
end
show("failed of 31", table.concat(failed, ", "))
for i = 1, 31 do many[i]:close() end
-- a pool created by setkeepalive has no backlog
local name = "ska" .. ctx.port
show("s1", s1:connect("127.0.0.1", ctx.port, { pool = name }))
show("s1 setkeepalive(0, 1)", s1:setkeepalive(0, 1))
local bl = { pool = name, pool_size = 1, backlog = 0 }
show("s1", s1:connect("127.0.0.1", ctx.port, bl))
show("s1 getreusedtimes", s1:getreusedtimes())
show("s2", s2:connect("127.0.0.1", ctx.port, bl))
show("s3", s3:connect("127.0.0.1", ctx.port, bl))
s1:close()
s2:close()
s3:close()
