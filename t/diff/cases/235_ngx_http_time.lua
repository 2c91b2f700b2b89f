-- peer: none
-- ngx.http_time and ngx.cookie_time of fixed times: truncated to whole
-- seconds, times before 1970 (and NaN, and numbers beyond a C long) as
-- 1970, after 9999 as its last second; cookies have two year digits up
-- to 2037. Only numbers are taken.
local ctx = ...
local ngx, P = ctx.ngx, ctx.pack

local times = {
  0, 1, 1.9, 59, 60, 3599, 3600, 86399, 86400, -1, -0.5, -86400, -1e10,
  68169600, 78796799, 94694400, 946684799, 946684800, 951782400, 951868800,
  978307199, 1000000000, 1234567890, 1700000000.999,
  2145916799, 2145916800, 2147483647, 2147483648, 4102444800, 4107542400,
  4294967295, 4294967296, 1e10, 32503680000, 253402300799, 253402300800,
  1e12, 1e15, 9e18, 2 ^ 62, 2 ^ 63, -2 ^ 63, 1e300,
  math.huge, -math.huge, 0 / 0,
}
for _, t in ipairs(times) do
  local label = ctx.fmt(t)
  ctx.try("http_time " .. label, function() return P(ngx.http_time(t)) end)
  ctx.try("cookie_time " .. label, function() return P(ngx.cookie_time(t)) end)
end

-- each weekday and month once, leap days around centuries
for i = 0, 13 do
  local t = 1700000000 + i * 86400 * 29
  ctx.show("day " .. i, ngx.http_time(t), ngx.cookie_time(t))
end
for _, t in ipairs({4107456000, 4107542399, 13574563200, 13574649600,
                    13569379200, 13569465600}) do
  ctx.show("leap " .. t, ngx.http_time(t))
end

local bad = {{"nil", nil}, {"string", "0"}, {"true", true}, {"table", {}}}
for _, c in ipairs(bad) do
  ctx.try("http_time " .. c[1], function() return P(ngx.http_time(c[2])) end)
  ctx.try("cookie_time " .. c[1], function() return P(ngx.cookie_time(c[2])) end)
end
ctx.try("http_time()", function() return P(ngx.http_time()) end)
ctx.try("cookie_time()", function() return P(ngx.cookie_time()) end)
ctx.try("http_time extra", function() return P(ngx.http_time(0, "x")) end)
