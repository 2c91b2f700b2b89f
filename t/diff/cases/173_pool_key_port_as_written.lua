-- peer: hold
-- ngx_lua names the default pool "host:port" by concatenating the port
-- argument as given: "0PORT" and " PORT" connect to PORT but name other
-- pools than PORT does; a float port prints as its integer.
local ctx = ...
local show = ctx.show
local s = ctx.tcp()
s:settimeout(2000)
local function use(label, port)
  show(label, s:connect("127.0.0.1", port))
  show("getreusedtimes", s:getreusedtimes())
  show("setkeepalive(0)", s:setkeepalive(0))
end
use("number", ctx.port)
use("string", tostring(ctx.port))
use("'0' .. port", "0" .. ctx.port)
use("' ' .. port", " " .. ctx.port)
use("number again", ctx.port)
use("'0' .. port again", "0" .. ctx.port)
for _, port in ipairs({ ctx.port, "0" .. ctx.port, " " .. ctx.port }) do
  for _ = 1, 5 do
    local d = ctx.tcp()
    d:settimeout(2000)
    if not d:connect("127.0.0.1", port) then break end
    local r = d:getreusedtimes()
    d:close()
    if r == 0 then break end
  end
end
