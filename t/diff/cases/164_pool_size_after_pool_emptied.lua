-- peer: hold
-- ngx_lua frees a pool when its last connection closes (its connection
-- count drops to 0); the next connect with pool_size, or setkeepalive with
-- a size, then creates it afresh with the new size.
local ctx = ...
local show = ctx.show
local name = "emptied" .. ctx.port
local s = ctx.tcp()
s:settimeout(2000)
show("connect pool_size 1", s:connect("127.0.0.1", ctx.port, { pool = name, pool_size = 1 }))
show("close (pool now empty)", s:close())
local socks = {}
for i = 1, 3 do
  socks[i] = ctx.tcp()
  socks[i]:settimeout(2000)
  show("connect " .. i, socks[i]:connect("127.0.0.1", ctx.port, { pool = name }))
end
for i = 1, 3 do show("setkeepalive(0, 3) " .. i, socks[i]:setkeepalive(0, 3)) end
for i = 1, 3 do
  show("connect " .. i, socks[i]:connect("127.0.0.1", ctx.port, { pool = name }))
  show("getreusedtimes", socks[i]:getreusedtimes())
end
for i = 1, 3 do socks[i]:close() end
-- the same when the pool was made by setkeepalive and its idle connection
-- was taken and closed
show("connect", s:connect("127.0.0.1", ctx.port, { pool = name .. "b" }))
show("setkeepalive(0, 1)", s:setkeepalive(0, 1))
show("connect", s:connect("127.0.0.1", ctx.port, { pool = name .. "b" }))
show("getreusedtimes", s:getreusedtimes())
show("close (pool now empty)", s:close())
for i = 1, 3 do socks[i]:connect("127.0.0.1", ctx.port, { pool = name .. "b" }) end
for i = 1, 3 do show("setkeepalive(0, 3) " .. i, socks[i]:setkeepalive(0, 3)) end
for i = 1, 3 do
  socks[i]:connect("127.0.0.1", ctx.port, { pool = name .. "b" })
  show("getreusedtimes " .. i, socks[i]:getreusedtimes())
end
for i = 1, 3 do socks[i]:close() end
