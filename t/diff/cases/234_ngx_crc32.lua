-- peer: none
-- ngx.crc32_short and crc32_long: the CRC-32 of zlib (IEEE 802.3), an
-- unsigned number; both give the same value. Other values as resty.core's
-- tostring() makes them text.
local ctx = ...
local ngx, P = ctx.ngx, ctx.pack

local bytes = {}
for i = 0, 255 do bytes[#bytes + 1] = string.char(i) end
bytes = table.concat(bytes)
local z = 0.0
local inputs = {
  {"empty", ""}, {"a", "a"}, {"123456789", "123456789"},
  {"fox", "The quick brown fox jumps over the lazy dog"},
  {"all bytes", bytes}, {"ff x 4", "\255\255\255\255"}, {"nul", "\0"},
  {"100000 bytes", string.rep("abcdefghij", 10000)},
  {"nil", nil}, {"false", false}, {"true", true}, {"12", 12}, {"1.5", 1.5},
  {"-0", -z}, {"-inf", -math.huge}, {"nan", 0 / 0}, {"tie", 100000000000005},
  {"tostring", setmetatable({}, {__tostring = function() return "a" end})},
}
for _, c in ipairs(inputs) do
  ctx.try("short " .. c[1], function() return P(ngx.crc32_short(c[2])) end)
  ctx.try("long " .. c[1], function() return P(ngx.crc32_long(c[2])) end)
end
ctx.try("short()", function() return P(ngx.crc32_short()) end)
ctx.try("long()", function() return P(ngx.crc32_long()) end)
ctx.try("extra", function() return P(ngx.crc32_long("a", "b")) end)
for i = 0, 7 do
  local s = bytes:sub(1 + i * 30, 31 + i * 30)
  ctx.show("slice " .. i, ngx.crc32_short(s), ngx.crc32_long(s) == ngx.crc32_short(s))
end
