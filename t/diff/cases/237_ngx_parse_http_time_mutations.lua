-- peer: none
-- ngx.parse_http_time on 3000 mutations (a character replaced, dropped or
-- inserted, one to four times) of dates in its three formats, from a fixed
-- pseudo-random sequence: the same strings on both sides.
local ctx = ...
local ngx = ctx.ngx

local seed = 230237
local function rnd(n)
  seed = (seed * 16807) % 2147483647
  return seed % n
end

local bases = {
  "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
  "Sun Nov  6 08:49:37 1994", "Tue, 29 Feb 2000 23:59:59 GMT",
  "Thu, 01 Jan 1970 00:00:00 GMT", "Wed, 31-Dec-69 23:59:59 GMT",
  "Fri Jan 31 00:00:00 0000",
}
local alphabet = "0123456789 ,-:JFMASONDaeprnuylgtcovb"
local results = {}
for i = 1, 3000 do
  local s = bases[rnd(#bases) + 1]
  for _ = 0, rnd(4) do
    local pos = rnd(#s) + 1
    local op = rnd(3)
    local k = rnd(#alphabet) + 1
    local c = alphabet:sub(k, k)
    if op == 0 then
      s = s:sub(1, pos - 1) .. c .. s:sub(pos + 1)
    elseif op == 1 then
      s = s:sub(1, pos - 1) .. s:sub(pos + 1)
    else
      s = s:sub(1, pos - 1) .. c .. s:sub(pos)
    end
  end
  local t = ngx.parse_http_time(s)
  results[#results + 1] = ctx.fmt(s) .. " " .. ctx.fmt(t)
  if i % 50 == 0 then
    ctx.say(table.concat(results, " | "))
    results = {}
  end
end
