-- peer: none
-- bit.tobit and bit.tohex: LuaJIT's own bit module inside nginx, against
-- resty.luasocket.native's bit (what load() gives `require "bit"` where
-- there is none) in every plain interpreter, LuaJIT's included. Arguments
-- become 32-bit patterns: rounded to the nearest integer (halfway to
-- even), modulo 2^32; numeric strings too.
local ctx = ...
local native = package.loaded["resty.luasocket.native"]
local bit = native and native.bit or require("bit")
local P = ctx.pack

local z = 0.0
local values = {
  0, 1, -1, 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999999999999994, 2 ^ 31 - 1,
  2 ^ 31, -2 ^ 31, -2 ^ 31 - 1, 2 ^ 32, 2 ^ 32 + 5, 2 ^ 32 - 1, -2 ^ 32,
  2 ^ 40 + 3, 2 ^ 51 - 1, 2 ^ 51, 2 ^ 52, 2 ^ 52 + 1, 2 ^ 53, 2 ^ 53 + 2,
  2 ^ 60, 1e15, 1e300, -1e300, math.huge, -math.huge, 0 / 0, -z,
  0x7fffffff, 0xffffffff, 0x12345678, 123456.789, "12", "0x10", " 12 ",
  "1e3", "-7.5",
}
for _, v in ipairs(values) do
  ctx.try("tobit " .. ctx.fmt(v), function() return P(bit.tobit(v)) end)
  ctx.try("tohex " .. ctx.fmt(v), function() return P(bit.tohex(v)) end)
end

for _, n in ipairs({0, 1, 2, 7, 8, 9, 15, 16, 17, 100, 254, 255, 256, 1000,
                    -1, -2, -7, -8, -9, -16, -254, -255, -1000, 2.5, 3.5,
                    -2.5, 2 ^ 31, -2 ^ 31, 2 ^ 32 + 3, 1e300, math.huge,
                    0 / 0, "4", "-4"}) do
  ctx.try("tohex(0xabcdef, " .. ctx.fmt(n) .. ")", function()
    return P(bit.tohex(0xabcdef, n))
  end)
  ctx.try("tohex(-2, " .. ctx.fmt(n) .. ")", function()
    return P(bit.tohex(-2, n))
  end)
end

for _, c in ipairs({{"nil", nil}, {"string", "x"}, {"empty string", ""},
                    {"true", true}, {"table", {}}, {"function", print}}) do
  ctx.try("tobit " .. c[1], function() return P(bit.tobit(c[2])) end)
  ctx.try("tohex " .. c[1], function() return P(bit.tohex(c[2])) end)
  ctx.try("tohex(1, " .. c[1] .. ")", function() return P(bit.tohex(1, c[2])) end)
end
ctx.try("tobit()", function() return P(bit.tobit()) end)
ctx.try("tohex()", function() return P(bit.tohex()) end)
ctx.try("tobit extra", function() return P(bit.tobit(1, "x")) end)
ctx.try("tohex extra", function() return P(bit.tohex(1, 2, "x")) end)
