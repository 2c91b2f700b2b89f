-- peer-unix: hold
-- A unix path given with a port number: ngx_lua names its pool
-- "unix:PATH:PORT" (port 0 included), not "unix:PATH".
local ctx = ...
local show = ctx.show
local u = "unix:" .. ctx.path
local s = ctx.tcp()
s:settimeout(2000)
local function use(label, ...)
  show(label, s:connect(...))
  show("getreusedtimes", s:getreusedtimes())
  show("setkeepalive(0)", s:setkeepalive(0))
end
use("path", u)
use("path, 0", u, 0)
use("path, 123", u, 123)
use("path", u)
use("path, 0", u, 0)
use("path, 123", u, 123)
for _, port in ipairs({ false, 0, 123 }) do
  for _ = 1, 5 do
    local d = ctx.tcp()
    d:settimeout(2000)
    local ok
    if port then ok = d:connect(u, port) else ok = d:connect(u) end
    if not ok then break end
    local r = d:getreusedtimes()
    d:close()
    if r == 0 then break end
  end
end
