-- peer: none
-- ngx.decode_args(str, max_args): 100 arguments by default; 0 and negative
-- numbers mean no limit; every "&"-separated piece counts, empty ones and
-- those with an empty key too; max_args is truncated to an integer and
-- then to a C int (its low 32 bits).
local ctx = ...
local ngx, P = ctx.ngx, ctx.pack

local function count(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n
end
local function keys(t)
  local out = {}
  for k, v in pairs(t) do
    out[#out + 1] = k .. "=" .. (type(v) == "table" and #v .. " values" or tostring(v))
  end
  table.sort(out)
  return table.concat(out, " ")
end

local many = {}
for i = 1, 250 do many[i] = "k" .. i .. "=v" end
many = table.concat(many, "&")
ctx.show("default", count(ngx.decode_args(many)))
for _, m in ipairs({0, 1, 2, 99, 100, 101, 249, 250, 251, 1000, -1, -100,
                    1.5, 2.9, -0.5, 0.9, 2 ^ 31 - 1, 2 ^ 31, 2 ^ 32, 2 ^ 32 + 7,
                    2 ^ 32 + 7.5, -2 ^ 32 + 3, 1e10, -1e10, 2 ^ 53 + 2 ^ 33 + 5,
                    2 ^ 63, -2 ^ 63, 1e300, math.huge, -math.huge, 0 / 0,
                    "3", " 4 ", "0x5", "1e1"}) do
  ctx.try("max " .. ctx.fmt(m), function() return P(count(ngx.decode_args(many, m))) end)
end

local pieces = {
  "=x&=y&a=1&b=2", "&&a=1&b=2", "a=1&a=2&b=3", "a&a&b", "=&a=1&b=1",
  "a=1&&&b=2", "%=1&b=2", "a&=&b", "a=1&b=2&", "a=1&b=2&&", "&=&=&=a&b",
}
for _, s in ipairs(pieces) do
  for m = 1, 3 do
    ctx.show(ctx.fmt(s) .. " max " .. m, keys(ngx.decode_args(s, m)))
  end
end

for _, c in ipairs({{"nil", nil}, {"string x", "x"}, {"true", true},
                    {"table", {}}, {"empty string", ""}}) do
  ctx.try("bad max " .. c[1], function() return P(ngx.decode_args("a=1", c[2])) end)
end
