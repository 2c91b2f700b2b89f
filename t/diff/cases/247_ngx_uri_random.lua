-- peer: none
-- ngx.unescape_uri, escape_uri and decode_args on 2000 strings each from a
-- fixed pseudo-random sequence over the characters that matter to them
-- (the same strings on both sides); decode_args with max_args -1 to 3.
local ctx = ...
local ngx = ctx.ngx

local lib = ctx.lib("ngx_cases")
local r, show_args = lib.random(230247), lib.show_args
local rnd, random_string, random_bytes = r.int, r.string, r.bytes

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
