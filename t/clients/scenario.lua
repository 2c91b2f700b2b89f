-- The shared half of t/clients: runs one scenario (t/clients/scenarios/
-- NAME.lua, an unmodified lua-resty client driven against real servers)
-- and returns what it printed. The same scenario runs in nginx's content
-- phase on real cosockets (the reference), in init_worker, set and log on
-- native sockets, and in plain Lua under each interpreter (plain.lua); the
-- outputs must be identical.
--
-- A scenario is `return function(ctx) ... end`; ctx has:
--   load(modname)  resty.luasocket.load
--   env            the servers: clients_env.lua, written by run.sh
--   tag            this run's context ("content", "log", "plain-lua5.1",
--                  ...): for pool names and keys, never printed
--   null           ngx.null as the loaded modules see it
--   say(...)       one output line (strings as they are, unless long)
--   show(label, ...)  "label: v1, v2" with every value, trailing nils too
--   dump(v)        v as text, tables with sorted keys, long strings short
--   sock_ok(s)     "ok" when s is the socket this context should hand out
--                  (a cosocket in content, a native one elsewhere)

local socket = require "resty.luasocket"
local env = require "clients_env"

local type, tostring, pairs, ipairs, select, pcall, getmetatable =
  type, tostring, pairs, ipairs, select, pcall, getmetatable
local concat, sort, format = table.concat, table.sort, string.format

local _M = {}

local function quote(s)
  return '"' .. s:gsub('[%c"\\\128-\255]', function(c)
    return format("\\x%02X", c:byte())
  end) .. '"'
end

local function checksum(s)
  local h = 0
  for i = 1, #s do
    h = (h * 31 + s:byte(i)) % 4294967296
  end
  return h
end

local function dump(v)
  local t = type(v)
  if t == "string" then
    if #v > 120 then
      return format("string(len=%d, sum=%d)", #v, checksum(v))
    end
    return quote(v)
  elseif t == "number" then
    if v == math.floor(v) and v > -2^53 and v < 2^53 then
      return format("%d", v)
    end
    return format("%.14g", v)
  elseif t ~= "table" then
    return tostring(v)
  end
  local keys = {}
  for k in pairs(v) do
    keys[#keys + 1] = k
  end
  sort(keys, function(a, b)
    if type(a) == type(b) and (type(a) == "number" or type(a) == "string") then
      return a < b
    end
    return type(a) < type(b)
  end)
  local out = {}
  for i, k in ipairs(keys) do
    out[i] = (type(k) == "string" and k or "[" .. dump(k) .. "]")
             .. "=" .. dump(v[k])
  end
  return "{" .. concat(out, ", ") .. "}"
end

-- runs scenario NAME in context TAG; returns its output, one line each
function _M.run(name, tag)
  local lines = {}
  local ctx = {
    load = socket.load,
    env = env,
    tag = tag,
    dump = dump,
    null = require("resty.luasocket.ngx").null,
  }
  function ctx.say(...)
    local parts = {}
    for i = 1, select("#", ...) do
      local v = select(i, ...)
      parts[i] = type(v) == "string" and #v <= 120 and v or dump(v)
    end
    lines[#lines + 1] = concat(parts)
  end
  function ctx.show(label, ...)
    local parts = {}
    for i = 1, select("#", ...) do
      parts[i] = dump((select(i, ...)))
    end
    lines[#lines + 1] = label .. ": " .. concat(parts, ", ")
  end
  function ctx.sock_ok(sock)
    local native = getmetatable(sock) == socket.luasocket_mt
    return native == (tag ~= "content") and "ok"
           or "a " .. (native and "native socket" or "cosocket") .. " in " .. tag
  end
  local chunk, err = loadfile(env.root .. "/t/clients/scenarios/" .. name
                              .. ".lua")
  if chunk then
    local ok, run = pcall(chunk)
    if ok then
      ok, err = pcall(run, ctx)
    else
      err = run
    end
    if not ok then
      lines[#lines + 1] = "ERROR: " .. tostring(err)
    end
  else
    lines[#lines + 1] = "ERROR: " .. tostring(err)
  end
  lines[#lines + 1] = "-- end of " .. name
  lines[#lines + 1] = ""
  return concat(lines, "\n")
end

-- the same, written to OUT/NAME.TAG, for the phases that answer no body
function _M.run_to_file(name, tag)
  local text = _M.run(name, tag)
  local path = env.out .. "/" .. name .. "." .. tag
  local f = assert(io.open(path .. ".tmp", "wb"))
  f:write(text)
  f:close()
  assert(os.rename(path .. ".tmp", path))
  return text
end

-- every scenario, in order (init_worker runs them all at start-up)
function _M.run_all(tag)
  for name in env.scenarios:gmatch("%S+") do
    _M.run_to_file(name, tag)
  end
end

return _M
