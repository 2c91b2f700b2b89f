-- peer: hold
-- A number pool name is turned into a string the LuaJIT way inside nginx:
-- 7 and 7.0 both name pool "7"; 1.5 names "1.5".
local ctx = ...
local show = ctx.show
local base = ctx.port * 10
local s = ctx.tcp()
s:settimeout(2000)
local function use(label, pool)
  show(label, s:connect("127.0.0.1", ctx.port, { pool = pool }))
  show("getreusedtimes", s:getreusedtimes())
  show("setkeepalive(0)", s:setkeepalive(0))
end
use("integer", base + 7)
use("float with integer value", base + 7.0)
use("string", tostring(base + 7))
use("1.5", base + 1.5)
use("'.5' string", base .. ".5")
use("float 2^53", 2 ^ 53)
use("integer 2^53", 9007199254740992)
for _, pool in ipairs({ base + 7, base + 1.5, 2 ^ 53 }) do
  for _ = 1, 5 do
    local d = ctx.tcp()
    d:settimeout(2000)
    if not d:connect("127.0.0.1", ctx.port, { pool = pool }) then break end
    local r = d:getreusedtimes()
    d:close()
    if r == 0 then break end
  end
end
