-- peer: none
-- ngx.decode_base64 on 2000 strings over base64 letters and the
-- characters around them, and every encoder and digest on 1000 random
-- byte strings, from a fixed pseudo-random sequence (the same on both
-- sides).
local ctx = ...
local ngx = ctx.ngx

local r = ctx.lib("ngx_cases").random(230248)
local random_string, random_bytes = r.string, r.bytes

local lines = {}
local function emit(s)
  lines[#lines + 1] = s
  if #lines == 25 then
    ctx.say(table.concat(lines, " | "))
    lines = {}
  end
end
for _ = 1, 2000 do
  local s = random_string("ABCYQWJjZ+/=ab01 -_", 12)
  emit(ctx.fmt(s) .. " " .. ctx.fmt(ngx.decode_base64(s)))
end
for _ = 1, 1000 do
  local b = random_bytes(70)
  emit(table.concat({
    ngx.encode_base64(b), ngx.encode_base64(b, true), ngx.md5(b),
    ngx.encode_base64(ngx.md5_bin(b)), ngx.encode_base64(ngx.sha1_bin(b)),
    ctx.fmt(ngx.crc32_short(b)), ctx.fmt(ngx.crc32_long(b)),
    ngx.encode_base64(ngx.hmac_sha1(b, b .. "k")),
  }, " "))
end
if #lines > 0 then ctx.say(table.concat(lines, " | ")) end
