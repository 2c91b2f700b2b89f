-- peer: none
-- ngx.md5, md5_bin, sha1_bin: the digests of known inputs, and what
-- resty.core's tostring() makes of other values (nil and false are "");
-- extra arguments are ignored.
local ctx = ...
local ngx, P = ctx.ngx, ctx.pack

local function hex(s)
  return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

local long = string.rep("0123456789", 1000)
local z = 0.0
local inputs = {
  {"empty", ""}, {"a", "a"}, {"abc", "abc"},
  {"message digest", "message digest"},
  {"alphabet", "abcdefghijklmnopqrstuvwxyz"},
  {"55 bytes", string.rep("x", 55)}, {"56 bytes", string.rep("x", 56)},
  {"64 bytes", string.rep("x", 64)}, {"nul", "\0\0\0"},
  {"10000 bytes", long},
  {"nil", nil}, {"false", false}, {"true", true}, {"12", 12}, {"1.5", 1.5},
  {"-0", -z}, {"1e100", 1e100}, {"inf", math.huge}, {"nan", 0 / 0},
  {"tie", 100000000000005},
  {"tostring", setmetatable({}, {__tostring = function() return "abc" end})},
}
for _, c in ipairs(inputs) do
  ctx.try("md5 " .. c[1], function() return P(ngx.md5(c[2])) end)
  ctx.try("md5_bin " .. c[1], function() return P(hex(ngx.md5_bin(c[2]))) end)
  ctx.try("sha1_bin " .. c[1], function() return P(hex(ngx.sha1_bin(c[2]))) end)
end
ctx.try("md5()", function() return P(ngx.md5()) end)
ctx.try("md5_bin()", function() return P(hex(ngx.md5_bin())) end)
ctx.try("sha1_bin()", function() return P(hex(ngx.sha1_bin())) end)
ctx.try("md5 extra", function() return P(ngx.md5("a", "b")) end)
ctx.try("sha1_bin extra", function() return P(hex(ngx.sha1_bin("a", {}))) end)
ctx.show("md5_bin length", #ngx.md5_bin("x"), #ngx.sha1_bin("x"))
