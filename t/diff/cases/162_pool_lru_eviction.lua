-- peer: hold
-- A full pool drops its least recently used connection; connect takes the
-- most recently pooled one. Connections are told apart by their reuse
-- counts: A (2), B (1), C (0).
local ctx = ...
local show = ctx.show
local opts = { pool = "lru" .. ctx.port, pool_size = 2 }
local function cycle(s, n)
  s:settimeout(2000)
  for _ = 1, n do
    s:connect("127.0.0.1", ctx.port, opts)
    s:setkeepalive(0)
  end
  return s:connect("127.0.0.1", ctx.port, opts)
end
local a, b, c = ctx.tcp(), ctx.tcp(), ctx.tcp()
show("A", cycle(a, 2), a:getreusedtimes())
show("B", cycle(b, 1), b:getreusedtimes())
show("C", cycle(c, 0), c:getreusedtimes())
show("setkeepalive A", a:setkeepalive(0))
show("setkeepalive B", b:setkeepalive(0))
show("setkeepalive C (evicts A)", c:setkeepalive(0))
local got = {}
for i = 1, 3 do
  got[i] = ctx.tcp()
  got[i]:settimeout(2000)
  show("take " .. i, got[i]:connect("127.0.0.1", ctx.port, opts), got[i]:getreusedtimes())
end
-- pool them back in a new order: 3 (fresh), 1 (C), 2 (B); size 2 keeps 1, 2
for _, i in ipairs({ 3, 1, 2 }) do show("setkeepalive " .. i, got[i]:setkeepalive(0)) end
for i = 1, 3 do
  show("take again " .. i, got[i]:connect("127.0.0.1", ctx.port, opts), got[i]:getreusedtimes())
end
for i = 1, 3 do got[i]:close() end
