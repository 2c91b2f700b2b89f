-- The clock and date functions of the plain-Lua ngx (resty.luasocket.ngx),
-- as ngx_lua 0.10.23 (with resty.core) gives them.
--
-- nginx caches its clock and refreshes it once per event loop turn (or on
-- ngx.update_time); plain Lua reads the clock at each call, so that
-- update_time has nothing to do.

local native = require "resty.luasocket.native"

local type, error, floor, fmod = type, error, math.floor, math.fmod
local format, byte, date, os_time = string.format, string.byte, os.date,
                                    os.time

local _M = {
  now = native.now,
}

function _M.time()
  return os_time()
end

function _M.update_time()
end

-- local time, as ngx.today and ngx.localtime; UTC for ngx.utctime
function _M.today()
  return date("%Y-%m-%d")
end

function _M.localtime()
  return date("%Y-%m-%d %H:%M:%S")
end

function _M.utctime()
  return date("!%Y-%m-%d %H:%M:%S")
end

-- ---- http_time and cookie_time ----------------------------------------------

local WEEKDAYS = {[0] = "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
local MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
                "Sep", "Oct", "Nov", "Dec"}

-- nginx formats no year past 9999: later times are its last second
local LAST_DAY = 2932896 -- 9999-12-31, in days since 1970-01-01
local TWO63 = 2 ^ 63

-- The year, month (1-12) and day of a count of days since 1970-01-01
-- (0 or more): whole 400-year cycles (146097 days) first, then centuries,
-- 4-year groups and years, each time counted from a 1 March, so that the
-- leap day is the last day of its year.
local function civil(days)
  local d = days + 719468 -- days since 0000-03-01
  local era = floor(d / 146097)
  local doe = d - era * 146097 -- day of the 400-year cycle, 0..146096
  local yoe = floor((doe - floor(doe / 1460) + floor(doe / 36524)
                     - floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + floor(yoe / 4) - floor(yoe / 100))
  local mp = floor((5 * doy + 2) / 153) -- 0 = March
  local day = doy - floor((153 * mp + 2) / 5) + 1
  local month = mp < 10 and mp + 3 or mp - 9
  local year = yoe + era * 400 + (month <= 2 and 1 or 0)
  return year, month, day
end

-- The broken-down UTC time of `sec` as ngx_lua hands it to nginx: the
-- number truncated to a C long (NaN and values out of its range become its
-- most negative value, as on x86-64), then times before 1970 as 1970 and
-- after 9999 as the last second of 9999.
local function gmtime(sec)
  if not (sec > -TWO63 and sec < TWO63) or sec < 0 then
    sec = 0
  end
  sec = sec - fmod(sec, 1)
  local days = floor(sec / 86400)
  local s = sec - days * 86400
  if days > LAST_DAY then
    days, s = LAST_DAY, 86399
  end
  local year, month, day = civil(days)
  return WEEKDAYS[(days + 4) % 7], day, month, year,
         floor(s / 3600), floor(s % 3600 / 60), s % 60
end

local function check_sec(sec)
  if type(sec) ~= "number" then
    error("number argument only", 3)
  end
end

-- "Thu, 01 Jan 1970 00:00:00 GMT"
function _M.http_time(sec)
  check_sec(sec)
  local wday, day, month, year, h, m, s = gmtime(sec)
  return format("%s, %02d %s %4d %02d:%02d:%02d GMT", wday, day,
                MONTHS[month], year, h, m, s)
end

-- "Thu, 01-Jan-70 00:00:00 GMT": two year digits up to 2037 (for old
-- browsers, nginx says), four after
function _M.cookie_time(sec)
  check_sec(sec)
  local wday, day, month, year, h, m, s = gmtime(sec)
  return format(year > 2037 and "%s, %02d-%s-%d %02d:%02d:%02d GMT"
                or "%s, %02d-%s-%02d %02d:%02d:%02d GMT",
                wday, day, MONTHS[month], year > 2037 and year or year % 100,
                h, m, s)
end

-- ---- parse_http_time --------------------------------------------------------

local SPACE, COMMA, DASH, COLON = 32, 44, 45, 58
local MONTH_DAYS = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

-- nginx's month from three letters, looking at as few of them as it
-- needs: "Jxx" is July, "Mxr" March, "Axx" August
local function month_of(s, p)
  local c, c2, c3 = byte(s, p, p + 2)
  if c == 74 then -- J
    return c2 == 97 and 1 or c3 == 110 and 6 or 7 -- Jan, Jun, Jul
  elseif c == 70 then -- F
    return 2
  elseif c == 77 then -- M
    return c3 == 114 and 3 or 5
  elseif c == 65 then -- A
    return c2 == 112 and 4 or 8
  elseif c == 83 then -- S
    return 9
  elseif c == 79 then -- O
    return 10
  elseif c == 78 then -- N
    return 11
  elseif c == 68 then -- D
    return 12
  end
end

-- the value of the n decimal digits at p, or nil
local function digits(s, p, n)
  local v = 0
  for i = p, p + n - 1 do
    local c = byte(s, i)
    if not c or c < 48 or c > 57 then
      return nil
    end
    v = v * 10 + c - 48
  end
  return v
end

-- "hh:mm:ss" at p: the three values, or nil
local function clock(s, p)
  local h, m, sec = digits(s, p, 2), digits(s, p + 3, 2), digits(s, p + 6, 2)
  if h and m and sec and byte(s, p + 2) == COLON
     and byte(s, p + 5) == COLON then
    return h, m, sec
  end
end

-- Seconds since the epoch of a date, computed the way nginx computes it:
-- days since 1 March of year 0 (a year shifted to start in March, so the
-- leap day comes last), in unsigned 64-bit arithmetic. For January and
-- February of year 0 the shifted year is -1 and wraps around; the
-- unsigned divisions of that huge number make the result 10368 seconds
-- later than the arithmetic of signed numbers says.
local function epoch_seconds(year, month, day, h, m, s)
  local wrapped = 0
  month = month - 2
  if month <= 0 then
    month = month + 12
    year = year - 1
    if year < 0 then
      wrapped = 10368
    end
  end
  local days = 365 * year + floor(year / 4) - floor(year / 100)
               + floor(year / 400) + floor(367 * month / 12) - 30 + day - 1
               - 719527 + 31 + 28
  return days * 86400 + h * 3600 + m * 60 + s + wrapped
end

-- The formats nginx's ngx_parse_http_time reads, and the leniencies it
-- has: RFC 1123 "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850 "Sunday,
-- 06-Nov-94 08:49:37 GMT" and asctime "Sun Nov  6 08:49:37 1994". Whatever
-- comes before the first comma or space is not looked at, nor what follows
-- the seconds (or the asctime year); a day 00 is the last day of the month
-- before; two-digit years below 70 are 20xx. nil for what it refuses, and
-- for 1969-12-31 23:59:59, whose -1 is nginx's error value.
local function parse(s)
  local len = #s
  local p = 1
  local isoc = false
  while p <= len do
    local c = byte(s, p)
    if c == COMMA then
      break
    elseif c == SPACE then
      isoc = true
      break
    end
    p = p + 1
  end
  p = p + 1
  while p <= len and byte(s, p) == SPACE do
    p = p + 1
  end
  if len - p + 1 < 18 then
    return nil
  end

  local day, rfc822
  if not isoc then
    day = digits(s, p, 2)
    if not day then
      return nil
    end
    p = p + 2
    local c = byte(s, p)
    if c == SPACE then
      if len - p + 1 < 18 then
        return nil
      end
      rfc822 = true
    elseif c ~= DASH then
      return nil
    end
    p = p + 1
  end

  local month = month_of(s, p)
  if not month then
    return nil
  end
  p = p + 3
  -- asctime's separator after the month is skipped unread
  if not isoc and byte(s, p) ~= (rfc822 and SPACE or DASH) then
    return nil
  end
  p = p + 1

  local year
  if isoc then
    if byte(s, p) == SPACE then
      p = p + 1
    end
    day = digits(s, p, 1)
    if not day then
      return nil
    end
    p = p + 1
    if byte(s, p) ~= SPACE then
      local d2 = digits(s, p, 1)
      if not d2 then
        return nil
      end
      day = day * 10 + d2
      p = p + 1
    end
    if len - p + 1 < 14 then
      return nil
    end
  elseif rfc822 then
    year = digits(s, p, 4)
    if not year then
      return nil
    end
    p = p + 4
  else
    year = digits(s, p, 2)
    if not year then
      return nil
    end
    year = year + (year < 70 and 2000 or 1900)
    p = p + 2
  end

  if byte(s, p) ~= SPACE then
    return nil
  end
  local h, m, sec = clock(s, p + 1)
  if not h then
    return nil
  end
  p = p + 9
  if isoc then
    if byte(s, p) ~= SPACE then
      return nil
    end
    year = digits(s, p + 1, 4)
    if not year then
      return nil
    end
  end

  if h > 23 or m > 59 or sec > 59 then
    return nil
  end
  if month == 2 and day == 29 then
    if year % 4 ~= 0 or (year % 100 == 0 and year % 400 ~= 0) then
      return nil
    end
  elseif day > MONTH_DAYS[month] then
    return nil
  end

  local t = epoch_seconds(year, month, day, h, m, sec)
  if t == -1 then
    return nil
  end
  return t
end

function _M.parse_http_time(s)
  if type(s) ~= "string" then
    error("string argument only", 2)
  end
  return parse(s)
end

return _M
