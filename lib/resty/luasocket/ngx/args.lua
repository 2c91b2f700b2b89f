-- The URI and argument helpers of the plain-Lua ngx (resty.luasocket.ngx):
-- escape_uri, unescape_uri, as ngx_lua 0.10.23 encodes and decodes.

local type, tostring, tonumber, error = type, tostring, tonumber, error
local format, char = string.format, string.char

local _M = {}

-- the bytes ngx_lua's escape_uri turns into %XX (uppercase hex): all but
-- those listed; type 2 (the default) is for a URI component, type 0 for a
-- whole URI (ngx_lua's other types are not here: they raise an error)
local hex = {}
for i = 0, 255 do
  hex[char(i)] = format("%%%02X", i)
end
local escape_class = {
  [0] = "[^!\"$&->@-~]",
  [2] = "[^0-9A-Za-z%-._~!'()*]",
}

local function as_string(s)
  if type(s) == "string" then
    return s
  end
  return s and tostring(s) or ""
end

function _M.escape_uri(s, kind)
  if kind == nil then
    kind = 2
  elseif type(kind) ~= "number" then
    error('"type" is not a number', 2)
  end
  local class = escape_class[kind]
  if not class then
    error("escape_uri type " .. kind .. " is not supported outside nginx"
          .. " (0 and 2 are)", 2)
  end
  return (as_string(s):gsub(class, hex))
end

local function unhex(h)
  return char(tonumber(h, 16))
end

function _M.unescape_uri(s)
  return ((as_string(s):gsub("+", " "):gsub("%%(%x%x)", unhex)))
end

return _M
