-- peer: none
-- ngx.hmac_sha1(key, str): RFC 2202's test vectors, keys longer than a
-- block, and the checks of ngx_lua's C function: exactly two arguments,
-- strings or numbers (as LuaJIT writes them).
local ctx = ...
local ngx, P = ctx.ngx, ctx.pack

local function hex(s)
  return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

local vectors = {
  {"rfc2202 1", string.rep("\11", 20), "Hi There"},
  {"rfc2202 2", "Jefe", "what do ya want for nothing?"},
  {"rfc2202 3", string.rep("\170", 20), string.rep("\221", 50)},
  {"rfc2202 6", string.rep("\170", 80),
   "Test Using Larger Than Block-Size Key - Hash Key First"},
  {"empty key", "", "data"}, {"empty data", "key", ""}, {"both empty", "", ""},
  {"64-byte key", string.rep("k", 64), "x"},
  {"65-byte key", string.rep("k", 65), "x"},
  {"nul bytes", "\0k\0", "\0d\0"},
  {"long data", "key", string.rep("abc", 10000)},
  {"numbers", 1, 2}, {"floats", 1.5, -0.25}, {"big", 1e300, 2 ^ 53},
  {"tie", 123456789012345, "x"},
}
for _, c in ipairs(vectors) do
  ctx.try(c[1], function() return P(hex(ngx.hmac_sha1(c[2], c[3]))) end)
end

ctx.try("no arguments", function() return P(ngx.hmac_sha1()) end)
ctx.try("one argument", function() return P(ngx.hmac_sha1("k")) end)
ctx.try("three arguments", function() return P(ngx.hmac_sha1("k", "s", "x")) end)
ctx.try("nil, nil", function() return P(ngx.hmac_sha1(nil, nil)) end)
ctx.try("key nil", function() return P(ngx.hmac_sha1(nil, "s")) end)
ctx.try("str nil", function() return P(ngx.hmac_sha1("k", nil)) end)
ctx.try("key true", function() return P(ngx.hmac_sha1(true, "s")) end)
ctx.try("str false", function() return P(ngx.hmac_sha1("k", false)) end)
ctx.try("key table", function() return P(ngx.hmac_sha1({}, "s")) end)
ctx.try("str function", function() return P(ngx.hmac_sha1("k", print)) end)
ctx.try("key null", function() return P(ngx.hmac_sha1(ngx.null, "s")) end)
ctx.try("tostring key", function()
  return P(ngx.hmac_sha1(setmetatable({}, {__tostring = function() return "k" end}), "s"))
end)
