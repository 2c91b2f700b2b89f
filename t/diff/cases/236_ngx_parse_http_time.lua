-- peer: none
-- ngx.parse_http_time: the three formats nginx reads (RFC 1123, RFC 850,
-- asctime), and its leniencies: nothing before the first comma or space is
-- looked at, nor anything after the time (or asctime's year); day 00 is
-- the day before the 1st; two-digit years below 70 are 20xx; dates before
-- 1970 are negative, except 1969-12-31 23:59:59 (-1, nginx's error value).
local ctx = ...
local ngx, P = ctx.ngx, ctx.pack

local inputs = {
  "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
  "Sun Nov  6 08:49:37 1994", "Sun Nov 6 08:49:37 1994",
  "Sun Nov 16 08:49:37 1994", "Sun Nov  6 08:49:37 94",
  "Thu, 01 Jan 1970 00:00:00 GMT", "Wed, 31 Dec 1969 23:59:59 GMT",
  "Wed, 31 Dec 1969 23:59:58 GMT", "Sat, 01 Jan 0000 00:00:00 GMT",
  "Sat, 01 Feb 0000 12:34:56 GMT", "Sat, 29 Feb 0000 00:00:00 GMT",
  "Sat, 01 Mar 0000 00:00:00 GMT", "Sat, 31 Dec 0000 23:59:59 GMT",
  "Sat, 01 Jan 0001 00:00:00 GMT", "Sat, 29 Feb 2000 00:00:00 GMT",
  "Sat, 29 Feb 1900 00:00:00 GMT", "Sat, 29 Feb 2001 00:00:00 GMT",
  "Sat, 29 Feb 2004 00:00:00 GMT", "Sat, 30 Feb 2004 00:00:00 GMT",
  "Sat, 00 Jan 2001 00:00:00 GMT", "Sat, 31 Apr 2001 00:00:00 GMT",
  "Sat, 30 Apr 2001 24:00:00 GMT", "Sat, 30 Apr 2001 23:60:00 GMT",
  "Sat, 30 Apr 2001 23:59:60 GMT", "x, 30 Apr 2001 23:59:59",
  "30 Apr 2001 23:59:59 GMT", ", 30 Apr 2001 23:59:59", ",30 Apr 2001 23:59:59",
  "Sat, 30 Xyz 2001 23:59:59 GMT", "Sat, 30 Jxx 2001 23:59:59 GMT",
  "Sat, 30 Mxr 2001 23:59:59 GMT", "Sat, 30 Axx 2001 23:59:59 GMT",
  "Sat, 30 jan 2001 23:59:59 GMT", "Sat, 31 Dec 9999 23:59:59 GMT",
  "Mon, 06-Nov-69 08:49:37 GMT", "Mon, 06-Nov-70 08:49:37 GMT",
  "Mon, 06-Nov-00 08:49:37 GMT", "Mon, 06 Nov-1994 08:49:37 GMT",
  "Mon, 06-Nov 94 08:49:37 GMT", "", " ", ",", "garbage",
  "Sun, 06 Nov 1994 08:49:37", "Sun, 06 Nov 1994 08:49:3",
  "Sun,    06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 +0100",
  "Sun, 06 Nov 1994 8:49:37 GMT", "Sun, 6 Nov 1994 08:49:37 GMT",
  "Sun, 06 Nov 1994 08-49-37 GMT", "Sun, 06 Nov 1994 08:49:37GMT",
  "Sun, 06  Nov 1994 08:49:37 GMT", "Sun Nov 6 08:49:37 1994 extra",
  "Sun NovX 6 08:49:37 1994", "Sun Nov  6 08:49:37  1994",
  "Sun Nov   6 08:49:37 1994", "Sun Nov  x 08:49:37 1994",
  "Sun Nov 6x 08:49:37 1994", "Sun Nov  6 08:49:37 199",
  "Sun  Nov  6 08:49:37 1994", "Sun Feb 29 00:00:00 2000",
  "Sun,06 Nov 1994 08:49:37 GMT", "Sunday,06-Nov-94 08:49:37 GMT",
  "Sun\t06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT\0",
  "\0, 06 Nov 1994 08:49:37 GMT",
}
for i, s in ipairs(inputs) do
  ctx.try(i .. " " .. ctx.fmt(s), function() return P(ngx.parse_http_time(s)) end)
end

-- http_time and parse_http_time are inverses over nginx's range
for _, t in ipairs({0, 86399, 951782400, 2147483648, 253402300799}) do
  ctx.show("inverse " .. t, ngx.parse_http_time(ngx.http_time(t)))
end

local bad = {{"nil", nil}, {"number", 0}, {"true", true}, {"table", {}}}
for _, c in ipairs(bad) do
  ctx.try("parse " .. c[1], function() return P(ngx.parse_http_time(c[2])) end)
end
ctx.try("parse()", function() return P(ngx.parse_http_time()) end)
ctx.try("parse extra", function() return P(ngx.parse_http_time("", 1)) end)
