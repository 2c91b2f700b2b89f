-- The differential suite's shared half: the context every case receives and
-- the loader that runs a case. Both sides use it unchanged: inside nginx
-- (ngx_entry.lua) with ngx.socket.tcp, and in plain Lua (native_entry.lua)
-- with the native socket. Everything a case prints goes through the
-- formatters below so that the two sides (LuaJIT in nginx, any Lua outside)
-- write byte-identical text for identical values.

local M = {}

local unpack = table.unpack or unpack -- luacheck: ignore 143
local load_string = loadstring or load -- luacheck: ignore 113

-- Numbers without the integer/float subtype of Lua 5.3+: LuaJIT has none,
-- so 3 and 3.0 both print "3".
local function num(n)
  if n ~= n then return "nan" end
  if n == math.floor(n) and n > -2^53 and n < 2^53 then
    return string.format("%d", n)
  end
  return string.format("%.14g", n)
end

local escapes = { ['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\r"] = "\\r",
                  ["\t"] = "\\t" }

-- %q differs between Lua versions; this quoting does not.
local function quote(s)
  return '"' .. s:gsub('[%c"\\\128-\255]', function(c)
    return escapes[c] or string.format("\\x%02X", c:byte())
  end) .. '"'
end

-- Long strings (floods) print as their length, both ends and a checksum.
local function long(s)
  local h = 0
  for i = 1, #s do h = (h * 31 + s:byte(i)) % 4294967296 end
  return string.format("string(len=%d, sum=%d, %s..%s)", #s, h,
                       quote(s:sub(1, 16)), quote(s:sub(-16)))
end

-- One value as text. Sockets are tables in nginx and userdata natively,
-- so both print as "object".
function M.fmt(v)
  local t = type(v)
  if t == "string" then
    if #v > 200 then return long(v) end
    return quote(v)
  elseif t == "number" then
    return num(v)
  elseif t == "nil" or t == "boolean" then
    return tostring(v)
  elseif t == "function" then
    return "function"
  end
  return "object"
end

-- All values of a call, the count preserved: "nil, \"closed\"".
function M.list(n, ...)
  if n == 0 then return "(nothing)" end
  local out = {}
  for i = 1, n do out[i] = M.fmt((select(i, ...))) end
  return table.concat(out, ", ")
end

function M.pack(...)
  return { n = select("#", ...), ... }
end

-- ctx: what a case receives as `...`.
--   tcp    the socket constructor under test
--   port   the peer's port (with "-- peer: none", a port nobody listens on)
--   path   the unix peer's path (or a path that does not exist)
--   say(...)         one output line: strings as they are, other values fmt'd
--   show(label, ...) "label: v1, v2" with every value (also trailing nils)
--   try(label, f)    pcall f, which returns pack(call); prints the values
--                    or "label: ERR message"
--   pack(...)        table of the values with their count (.n)
--   sleep(seconds)   wait without touching sockets
--   ngx              nginx's ngx, and natively resty.luasocket.ngx (the
--                    plain-Lua stand-in), for the cases of its functions
function M.context(tcp, port, path, emit, sleep)
  local ctx = { tcp = tcp, port = port, path = path, sleep = sleep,
                pack = M.pack, fmt = M.fmt }
  function ctx.say(...)
    local parts = {}
    for i = 1, select("#", ...) do
      local v = select(i, ...)
      parts[i] = type(v) == "string" and v or M.fmt(v)
    end
    emit(table.concat(parts))
  end
  function ctx.show(label, ...)
    emit(label .. ": " .. M.list(select("#", ...), ...))
  end
  function ctx.try(label, f)
    local ok, res = pcall(f)
    if not ok then
      emit(label .. ": ERR " .. tostring(res))
    elseif type(res) ~= "table" or res.n == nil then
      emit(label .. ": BAD CASE: the function must return pack(...)")
    else
      emit(label .. ": " .. M.list(res.n, unpack(res, 1, res.n)))
    end
  end
  return ctx
end

-- Runs case NAME (t/diff/cases/NAME.lua under root) with ctx. Both sides
-- load the text under the same chunk name, so error positions match.
local function load_file(root, rel)
  local f, err = io.open(root .. "/" .. rel, "rb")
  if not f then return nil, err end
  local src = f:read("*a")
  f:close()
  return load_string(src, "@" .. rel)
end

-- ctx.lib(name): what t/diff/NAME.lua, code shared by several cases,
-- returns when run with ctx.
function M.run(root, name, ctx, emit)
  function ctx.lib(lib)
    local chunk = assert(load_file(root, "t/diff/" .. lib .. ".lua"))
    return chunk(ctx)
  end
  local chunk, err = load_file(root, "t/diff/cases/" .. name .. ".lua")
  if not chunk then emit("ERROR: " .. tostring(err)) return end
  local ok, rerr = pcall(chunk, ctx)
  if not ok then emit("ERROR: " .. tostring(rerr)) end
end

return M
