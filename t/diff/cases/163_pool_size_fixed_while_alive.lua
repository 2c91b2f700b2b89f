-- peer: hold
-- The pool size is fixed by whoever creates the pool: connect's pool_size,
-- or setkeepalive's size when no pool exists yet. While the pool lives, a
-- later setkeepalive size or connect pool_size changes nothing.
local ctx = ...
local show = ctx.show
local function round(label, opts, ska_size, n)
  local socks = {}
  for i = 1, n do
    socks[i] = ctx.tcp()
    socks[i]:settimeout(2000)
    local ok, err = socks[i]:connect("127.0.0.1", ctx.port, opts)
    if not ok then show(label .. " connect " .. i, ok, err) end
  end
  for i = 1, n do show(label .. " setkeepalive(0, " .. ska_size .. ") " .. i, socks[i]:setkeepalive(0, ska_size)) end
  local reused = {}
  for i = 1, n do
    socks[i]:connect("127.0.0.1", ctx.port, opts)
    reused[i] = socks[i]:getreusedtimes()
  end
  show(label .. " reused", table.concat(reused, " "))
  return socks
end
local anchor = ctx.tcp()
anchor:settimeout(2000)
-- pool "a": created by connect with pool_size 1; anchor keeps it alive
show("anchor", anchor:connect("127.0.0.1", ctx.port, { pool = "a" .. ctx.port, pool_size = 1 }))
local socks = round("a", { pool = "a" .. ctx.port, pool_size = 5 }, 3, 3)
for i = 1, 3 do socks[i]:close() end
anchor:close()
-- pool "b": created by setkeepalive with size 2
show("anchor", anchor:connect("127.0.0.1", ctx.port, { pool = "b" .. ctx.port }))
show("anchor setkeepalive(0, 2)", anchor:setkeepalive(0, 2))
show("anchor", anchor:connect("127.0.0.1", ctx.port, { pool = "b" .. ctx.port }))
show("anchor reused", anchor:getreusedtimes())
socks = round("b", { pool = "b" .. ctx.port, pool_size = 4 }, 4, 4)
for i = 1, 4 do socks[i]:close() end
anchor:close()
