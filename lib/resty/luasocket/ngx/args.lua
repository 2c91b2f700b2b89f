-- The URI and argument helpers of the plain-Lua ngx (resty.luasocket.ngx):
-- escape_uri, unescape_uri, encode_args, decode_args and quote_sql_str, as
-- ngx_lua 0.10.23 (with resty.core) encodes, decodes and complains.

local type, tostring, tonumber, error, pairs, select = type, tostring,
  tonumber, error, pairs, select
local format, char, find, sub, gsub = string.format, string.char,
  string.find, string.sub, string.gsub
local concat = table.concat
local fmod = math.fmod
local getinfo = debug.getinfo

local _M = {}

-- Whether the %e text of a number has a 5 for its 15th significant digit
-- and only zeros after it
local function tie_at_15(e)
  return find(e, "^%-?%d%.%d%d%d%d%d%d%d%d%d%d%d%d%d50*e") ~= nil
end

-- A number as LuaJIT writes it (ngx_lua's interpreter): 14 significant
-- digits, no ".0" of Lua 5.3+, "nan" whatever its sign. LuaJIT rounds a
-- value exactly halfway between two 14-digit decimals away from zero
-- (printf rounds it to even): such a value is moved a unit in the last
-- place away from zero first. 100 digits tell a tie from a value near one
-- (string.format allows no more; no double comes that near a tie).
local function number_text(n)
  if n ~= n then
    return "nan"
  end
  if n - n == 0 and tie_at_15(format("%.20e", n))
     and tie_at_15(format("%.99e", n)) then
    n = n * (1 + 2 ^ -52)
  end
  return format("%.14g", n)
end

-- A value as resty.core's tostring() makes it text: nil and false are the
-- empty string.
local function loose_string(v)
  local t = type(v)
  if t == "string" then
    return v
  elseif t == "number" then
    return number_text(v)
  elseif not v then
    return ""
  end
  return tostring(v)
end

-- "bad argument" as luaL_argerror words it in ngx_lua's C functions:
-- called by the API function itself, which is named as its caller called
-- it, at the position of that caller
local function arg_error(i, want, v)
  local info = getinfo(2, "n")
  error(format("bad argument #%d to '%s' (%s expected, got %s)", i,
               info and info.name or "?", want, type(v)), 3)
end

-- An argument that ngx_lua's C functions read as a string: strings and
-- numbers (luaL_checklstring); nil for anything else.
local function strict_string(v)
  local t = type(v)
  if t == "string" then
    return v
  elseif t == "number" then
    return number_text(v)
  end
end

-- ---- escape_uri, unescape_uri -----------------------------------------------

-- For each escape type of nginx (ngx_escape_uri), the bytes it writes as
-- %XX (uppercase hex): 0 a whole URI, 1 query arguments, 2 a URI component
-- (the default), 3 HTML attributes, 4 a Refresh header, 5 a memcached key,
-- 6 mail authentication.
local ESCAPED = {
  [0] = "[%z\1- #%%?\127-\255]",
  [1] = "[%z\1- #%%+?\127-\255]",
  [2] = "[^%w!'()*%-._~]",
  [3] = "[%z\1- \"#%%'\127-\255]",
  [4] = "[%z\1- \"'\127-\255]",
  [5] = "[%z\1- %%]",
  [6] = "[%z\1- %%]",
}

local HEX = {}
for i = 0, 255 do
  HEX[char(i)] = format("%%%02X", i)
end

-- ngx.escape_uri(s, type): type is checked and then truncated (2.5 is 2),
-- as resty.core passes it to C; its errors point at the caller's caller,
-- as resty.core's do. A NaN type, which crashes nginx, is out of range
-- here.
function _M.escape_uri(s, kind)
  s = loose_string(s)
  if kind == nil then
    kind = 2
  else
    if type(kind) ~= "number" then
      error('"type" is not a number', 3)
    end
    if not (kind >= 0 and kind <= 6) then
      error('"type" ' .. number_text(kind) .. " out of range", 3)
    end
    kind = kind - fmod(kind, 1)
  end
  return (gsub(s, ESCAPED[kind], HEX))
end

local function unhex(h)
  return char(tonumber(h, 16))
end

-- %XX with two hex digits (either case) is a byte and "+" a space; every
-- other "%" stays as it is
local function unescape(s)
  return (gsub(gsub(s, "%+", " "), "%%(%x%x)", unhex))
end

function _M.unescape_uri(s)
  return unescape(loose_string(s))
end

-- ---- encode_args -----------------------------------------------------------

local function escape_component(s)
  return (gsub(s, ESCAPED[2], HEX))
end

-- One value of `args` (or of a list in it) as key=value, the key alone
-- (true) or nothing (false); nil and an error message for what
-- ngx_lua refuses.
local function arg_pair(key, v)
  local t = type(v)
  if t == "string" then
    return key .. "=" .. escape_component(v)
  elseif t == "number" then
    return key .. "=" .. escape_component(number_text(v))
  elseif t == "boolean" then
    return v and key or false
  end
  return nil, "attempt to use " .. t .. " as query arg value"
end

-- ngx.encode_args(args): the pairs in the order `pairs` gives them (hash
-- order in nginx too: sort or use one key to compare); a list value gives
-- one pair per element, every element of the table that is (lua_next, so
-- non-integer keys too).
function _M.encode_args(...)
  local n = select("#", ...)
  if n ~= 1 then
    error("expecting 1 argument but seen " .. n, 2)
  end
  local args = ...
  if type(args) ~= "table" then
    arg_error(1, "table", args)
  end
  local out = {}
  for k, v in pairs(args) do
    if type(k) ~= "string" then
      error('attempt to use a non-string key in the "args" option table', 2)
    end
    local key = escape_component(k)
    if type(v) == "table" then
      for _, item in pairs(v) do
        local pair, err = arg_pair(key, item)
        if err then
          error(err, 2)
        end
        out[#out + 1] = pair or nil
      end
    else
      local pair, err = arg_pair(key, v)
      if err then
        error(err, 2)
      end
      out[#out + 1] = pair or nil
    end
  end
  return concat(out, "&")
end

-- ---- decode_args -----------------------------------------------------------

local DEFAULT_MAX_ARGS = 100

-- max_args as ngx_lua reads it on LuaJIT: a number or a numeric string
-- (else nil), truncated to a 64-bit integer (NaN and out of range: its
-- most negative value), then to a C int (the low 32 bits); 0 or less
-- means no limit
local function max_args_of(v)
  local n = (type(v) == "number" or type(v) == "string") and tonumber(v)
  if not n then
    return nil
  end
  if not (n > -2 ^ 63 and n < 2 ^ 63) then
    return 0
  end
  n = fmod(n - fmod(n, 1), 2 ^ 32)
  if n < 0 then
    n = n + 2 ^ 32
  end
  if n >= 2 ^ 31 then
    return 0
  end
  return n
end

-- ngx.decode_args(str, max_args): "&" separates the arguments, the first
-- "=" a key from its value; a key without "=" is true, a repeated key a
-- list of its values in order; arguments with an empty key are dropped
-- but count toward max_args, as empty ones do.
function _M.decode_args(...)
  local n = select("#", ...)
  if n ~= 1 and n ~= 2 then
    error("expecting 1 or 2 arguments but seen " .. n, 2)
  end
  local arg, max_arg = ...
  local s = strict_string(arg)
  if not s then
    arg_error(1, "string", arg)
  end
  local max = DEFAULT_MAX_ARGS
  if n == 2 then
    max = max_args_of(max_arg)
    if not max then
      arg_error(2, "number", max_arg)
    end
  end
  local args, count, pos, len = {}, 0, 1, #s
  while pos <= len do
    local stop = find(s, "&", pos, true) or len + 1
    local eq = find(s, "=", pos, true)
    local key, value
    if eq and eq < stop then
      key, value = sub(s, pos, eq - 1), unescape(sub(s, eq + 1, stop - 1))
    else
      key, value = sub(s, pos, stop - 1), true
    end
    if key ~= "" then
      key = unescape(key)
      local old = args[key]
      if old == nil then
        args[key] = value
      elseif type(old) == "table" then
        old[#old + 1] = value
      else
        args[key] = {old, value}
      end
    end
    count = count + 1
    if count == max then
      break
    end
    pos = stop + 1
  end
  return args
end

-- ---- quote_sql_str ---------------------------------------------------------

local SQL_ESCAPES = {
  ["\0"] = "\\0", ["\b"] = "\\b", ["\n"] = "\\n", ["\r"] = "\\r",
  ["\t"] = "\\t", ["\26"] = "\\Z", ["\\"] = "\\\\", ["'"] = "\\'",
  ['"'] = '\\"',
}

-- ngx.quote_sql_str(s): s in single quotes, with MySQL's backslash escapes
function _M.quote_sql_str(...)
  if select("#", ...) ~= 1 then
    error("expecting one argument", 2)
  end
  local s = strict_string((...))
  if not s then
    arg_error(1, "string", (...))
  end
  return "'" .. gsub(s, "[%z\b\n\r\t\26\\'\"]", SQL_ESCAPES) .. "'"
end

return _M
