-- peer: recvline;send:1\n;recvline;send:2\n;recvline;send:3\n;hold
-- Pools are found by name: opts.pool, else "host:port". Different names
-- never share; the same name shares whatever the host and port (a named
-- pool hands its connection to a connect aimed at a port nobody listens
-- on); a pool named "host:port" is the default pool of that peer; a number
-- names the pool by its string.
local ctx = ...
local show = ctx.show
local a, b = "a" .. ctx.port, "b" .. ctx.port
local s = ctx.tcp()
s:settimeout(2000)
local function use(label, host, port, opts)
  show(label, s:connect(host, port, opts))
  show("getreusedtimes", s:getreusedtimes())
  show("send", s:send("x\n"))
  show("receive()", s:receive())
  show("setkeepalive(0)", s:setkeepalive(0))
end
use("pool a", "127.0.0.1", ctx.port, { pool = a })
use("pool b", "127.0.0.1", ctx.port, { pool = b })
use("no pool option", "127.0.0.1", ctx.port)
use("pool a again", "127.0.0.1", ctx.port, { pool = a })
use("pool a, port 1", "127.0.0.1", 1, { pool = a })
use("pool = '127.0.0.1:PORT'", "127.0.0.1", ctx.port, { pool = "127.0.0.1:" .. ctx.port })
use("pool = a number", "127.0.0.1", ctx.port, { pool = ctx.port * 10 + 7 })
use("pool = that number as a string", "127.0.0.1", ctx.port, { pool = tostring(ctx.port * 10 + 7) })
use("pool nil", "127.0.0.1", ctx.port, { pool = nil })
use("pool b again", "127.0.0.1", ctx.port, { pool = b })
-- empty every pool this case used
for _, opts in ipairs({ { pool = a }, { pool = b }, { pool = ctx.port * 10 + 7 }, {} }) do
  for _ = 1, 5 do
    local d = ctx.tcp()
    d:settimeout(2000)
    if not d:connect("127.0.0.1", ctx.port, opts) then break end
    local r = d:getreusedtimes()
    d:close()
    if r == 0 then break end
  end
end
