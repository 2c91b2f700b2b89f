-- peer: none
-- ngx.time, now, today, localtime, utctime, update_time: their types and
-- formats, and how they agree with each other (nothing here prints the
-- time itself).
local ctx = ...
local ngx, P = ctx.ngx, ctx.pack

ngx.update_time()
local t, now = ngx.time(), ngx.now()
ctx.show("time is a whole number", type(t), t == math.floor(t))
ctx.show("now has at most milliseconds", type(now),
         math.abs(now * 1000 - math.floor(now * 1000 + 0.5)) < 1e-3)
ctx.show("time and now agree", math.abs(t - now) < 2)
ctx.show("today", type(ngx.today()),
         ngx.today():match("^%d%d%d%d%-%d%d%-%d%d$") ~= nil)
ctx.show("localtime", ngx.localtime():match("^%d%d%d%d%-%d%d%-%d%d %d%d:%d%d:%d%d$") ~= nil)
ctx.show("utctime", ngx.utctime():match("^%d%d%d%d%-%d%d%-%d%d %d%d:%d%d:%d%d$") ~= nil)
ctx.show("today is localtime's date", ngx.localtime():sub(1, 10) == ngx.today()
         or ngx.localtime():sub(12) < "00:00:02")
-- utctime is http_time(time()) in another layout (unless a second passed)
local function same_second()
  local months = {Jan = 1, Feb = 2, Mar = 3, Apr = 4, May = 5, Jun = 6,
                  Jul = 7, Aug = 8, Sep = 9, Oct = 10, Nov = 11, Dec = 12}
  for _ = 1, 3 do
    local before, utc, after = ngx.time(), ngx.utctime(), ngx.time()
    if before == after then
      local d, mon, y, hms = ngx.http_time(before):match("^%a+, (%d+) (%a+) (%d+) (%S+) GMT$")
      return utc == string.format("%s-%02d-%s %s", y, months[mon], d, hms)
    end
  end
  return "the clock kept moving"
end
ctx.show("utctime is http_time(time())", same_second())
ctx.show("parse_http_time(http_time(time()))",
         ngx.parse_http_time(ngx.http_time(t)) == t)
ctx.try("update_time()", function() return P(ngx.update_time()) end)
ctx.try("update_time(1)", function() return P(ngx.update_time(1)) end)
ctx.try("today(1)", function() return P(type(ngx.today(1))) end)
ctx.try("time(1)", function() return P(type(ngx.time({}))) end)
