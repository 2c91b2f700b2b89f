-- peer: none
-- ngx.encode_base64: every length class of the last group, with and without
-- padding, and what resty.core's tostring() makes of other values (nil and
-- false are ""; numbers as LuaJIT writes them, halfway ties rounded away
-- from zero); no_padding must be true, false or nil.
local ctx = ...
local ngx, P = ctx.ngx, ctx.pack

local bytes = {}
for i = 0, 255 do bytes[#bytes + 1] = string.char(i) end
bytes = table.concat(bytes)

local inputs = {
  {"empty", ""}, {"1 byte", "a"}, {"2 bytes", "ab"}, {"3 bytes", "abc"},
  {"4 bytes", "abcd"}, {"5 bytes", "abcde"}, {"6 bytes", "abcdef"},
  {"nul", "\0"}, {"ff ff", "\255\255"}, {"fb ff bf", "\251\255\191"},
  {"all bytes", bytes}, {"text", "Man is distinguished, not only by his reason"},
}
for _, c in ipairs(inputs) do
  ctx.try(c[1], function() return P(ngx.encode_base64(c[2])) end)
  ctx.try(c[1] .. ", true", function() return P(ngx.encode_base64(c[2], true)) end)
  ctx.try(c[1] .. ", false", function() return P(ngx.encode_base64(c[2], false)) end)
end

local z = 0.0
local values = {
  {"nil", nil}, {"false", false}, {"true", true}, {"12", 12}, {"1.5", 1.5},
  {"-1", -1}, {"2^53", 2 ^ 53}, {"1e300", 1e300}, {"1e15", 1e15},
  {"0.1", 0.1}, {"-0", -z}, {"inf", math.huge}, {"-inf", -math.huge},
  {"nan", 0 / 0}, {"tie 123456789012345", 123456789012345},
  {"tie -12345678901234.5", -12345678901234.5},
  {"tostring", setmetatable({}, {__tostring = function() return "X" end})},
}
for _, c in ipairs(values) do
  ctx.try("value " .. c[1], function() return P(ngx.encode_base64(c[2])) end)
end
ctx.try("no argument", function() return P(ngx.encode_base64()) end)
ctx.try("extra arguments", function() return P(ngx.encode_base64("a", true, 1)) end)

local paddings = {
  {"nil", nil}, {"1", 1}, {"0", 0}, {"string", "x"}, {"empty string", ""},
  {"table", {}}, {"function", print},
}
for _, c in ipairs(paddings) do
  ctx.try("no_padding " .. c[1], function() return P(ngx.encode_base64("ab", c[2])) end)
end
