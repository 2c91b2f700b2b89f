-- peer: none
-- bit.bnot, band, bor, bxor (any number of arguments), lshift, rshift,
-- arshift, rol, ror (counts modulo 32), bswap: LuaJIT's bit inside nginx
-- against resty.luasocket.native's bit, on values with every top bit.
local ctx = ...
local native = package.loaded["resty.luasocket.native"]
local bit = native and native.bit or require("bit")
local P = ctx.pack

local values = {0, 1, -1, 0x7fffffff, -0x80000000, 0x12345678, -0x12345678,
                0xdeadbeef, 0x80000001, 2 ^ 32 + 1, 1.5, -2.5, "255"}
for _, a in ipairs(values) do
  local label = ctx.fmt(a)
  ctx.show("bnot " .. label, bit.bnot(a))
  ctx.show("bswap " .. label, bit.bswap(a))
  ctx.show("band/bor/bxor " .. label .. " 0xff00ff00",
           bit.band(a, 0xff00ff00), bit.bor(a, 0xff00ff00), bit.bxor(a, 0xff00ff00))
end
for _, n in ipairs({0, 1, 4, 15, 16, 31, 32, 33, 63, 64, -1, -31, -32, 1.5,
                    2.5, 2 ^ 32 + 4, "8"}) do
  local label = ctx.fmt(n)
  for _, a in ipairs({1, -1, 0x87654321, -256}) do
    ctx.show(ctx.fmt(a) .. " by " .. label, bit.lshift(a, n), bit.rshift(a, n),
             bit.arshift(a, n), bit.rol(a, n), bit.ror(a, n))
  end
end

-- several arguments
ctx.show("band one", bit.band(0x1234), bit.bor(-5), bit.bxor(7.5))
ctx.show("band many", bit.band(-1, 0xff0, 0x3c3, 0x1f0))
ctx.show("bor many", bit.bor(1, 2, 4, 8, 16, 2 ^ 31))
ctx.show("bxor many", bit.bxor(1, 3, 7, 15, 31, -1))
local many = {}
for i = 1, 200 do many[i] = i * 2654435761 end
local unpack = table.unpack or unpack
ctx.show("bxor 200", bit.bxor(unpack(many)))

-- argument errors
ctx.try("bnot()", function() return P(bit.bnot()) end)
ctx.try("band()", function() return P(bit.band()) end)
ctx.try("bor(1, nil)", function() return P(bit.bor(1, nil)) end)
ctx.try("bxor(1, 3, nil)", function() return P(bit.bxor(1, 3, nil)) end)
ctx.try("band(1, 'x')", function() return P(bit.band(1, "x")) end)
ctx.try("bor(1, 2, {})", function() return P(bit.bor(1, 2, {})) end)
ctx.try("lshift(1)", function() return P(bit.lshift(1)) end)
ctx.try("rshift('x', 1)", function() return P(bit.rshift("x", 1)) end)
ctx.try("arshift(1, true)", function() return P(bit.arshift(1, true)) end)
ctx.try("rol(nil, 1)", function() return P(bit.rol(nil, 1)) end)
ctx.try("ror(1, {})", function() return P(bit.ror(1, {})) end)
ctx.try("bswap()", function() return P(bit.bswap()) end)
ctx.try("lshift(1, 2, 'x')", function() return P(bit.lshift(1, 2, "x")) end)
ctx.try("bswap(1, 'x')", function() return P(bit.bswap(1, "x")) end)
