-- peer: none
-- ngx.escape_uri's arguments as resty.core takes them: the string through
-- tostring() (nil and false are ""), the type a number from 0 to 6,
-- checked before it is truncated (2.5 is 2, 6.5 is out of range); its
-- errors name the position of the caller's caller (here pcall: none).
local ctx = ...
local ngx, P = ctx.ngx, ctx.pack

local z = 0.0
local values = {
  {"nil", nil}, {"false", false}, {"true", true}, {"12", 12}, {"1.5", 1.5},
  {"-1", -1}, {"1e15", 1e15}, {"-0", -z}, {"inf", math.huge}, {"nan", 0 / 0},
  {"tie", 123456789012345},
  {"tostring", setmetatable({}, {__tostring = function() return "a b" end})},
}
for _, c in ipairs(values) do
  ctx.try("value " .. c[1], function() return P(ngx.escape_uri(c[2])) end)
end
ctx.try("no argument", function() return P(ngx.escape_uri()) end)

local kinds = {
  {"nil", nil}, {"0", 0}, {"0.5", 0.5}, {"2.5", 2.5}, {"6", 6}, {"6.5", 6.5},
  {"6.9", 6.9}, {"-0", -z}, {"-0.5", -0.5}, {"-1", -1}, {"7", 7},
  {"1e10", 1e10}, {"2^31", 2 ^ 31}, {"-2^32", -2 ^ 32}, {"inf", math.huge},
  {"-inf", -math.huge}, {"tie", 12345678901234.5}, {"string 2", "2"},
  {"string x", "x"}, {"true", true}, {"false", false}, {"table", {}},
}
for _, c in ipairs(kinds) do
  ctx.try("type " .. c[1], function() return P(ngx.escape_uri("a b+", c[2])) end)
end
ctx.try("extra arguments", function() return P(ngx.escape_uri("a b", 0, "x")) end)
