-- peer: none
-- ngx.unescape_uri, escape_uri and decode_args on 2000 strings each from a
-- fixed pseudo-random sequence over the characters that matter to them
-- (the same strings on both sides); decode_args with max_args -1 to 3.
local ctx = ...
local ngx = ctx.ngx

local seed = 230247
local function rnd(n)
  seed = (seed * 16807) % 2147483647
  return seed % n
end
local function random_string(alphabet, max)
  local t = {}
  for i = 1, rnd(max + 1) do
    local k = rnd(#alphabet) + 1
    t[i] = alphabet:sub(k, k)
  end
  return table.concat(t)
end
local function random_bytes(max)
  local t = {}
  for i = 1, rnd(max + 1) do t[i] = string.char(rnd(256)) end
  return table.concat(t)
end
local function show_args(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  local out = {}
  for _, k in ipairs(keys) do
    local v = t[k]
    if type(v) == "table" then
      local items = {}
      for i = 1, #v do items[i] = ctx.fmt(v[i]) end
      v = "{" .. table.concat(items, ",") .. "}"
    else
      v = ctx.fmt(v)
    end
    out[#out + 1] = ctx.fmt(k) .. "=" .. v
  end
  return "{" .. table.concat(out, ",") .. "}"
end

local lines = {}
local function emit(s)
  lines[#lines + 1] = s
  if #lines == 40 then
    ctx.say(table.concat(lines, " | "))
    lines = {}
  end
end
for _ = 1, 2000 do
  local s = random_string("%%%4a1Fg+zA=&", 10)
  emit(ctx.fmt(s) .. " " .. ctx.fmt(ngx.unescape_uri(s)))
end
for _ = 1, 2000 do
  local kind = rnd(8) - 1
  emit(kind .. " " .. ctx.fmt(ngx.escape_uri(random_bytes(10), kind >= 0 and kind or nil)))
end
for _ = 1, 2000 do
  local s = random_string("ab=&%2+", 14)
  local max = rnd(5) - 1
  emit(ctx.fmt(s) .. " " .. max .. " " .. show_args(ngx.decode_args(s, max)))
end
if #lines > 0 then ctx.say(table.concat(lines, " | ")) end
