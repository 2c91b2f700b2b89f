-- peer: echo
-- setkeepalive's arguments where ngx_lua 0.10.23 and 0.10.27 agree: the
-- argument count, and the pool size of a pool it creates (checked before
-- anything is pooled; the socket stays usable). A size given for a pool
-- that exists is ignored. Bad types (checked before pooling only since
-- 0.10.27) are spec/pool_spec.lua's business.
local ctx = ...
local P, try, show = ctx.pack, ctx.try, ctx.show
local s = ctx.tcp()
s:settimeout(2000)
local name = "args" .. ctx.port
local function fresh()
  s:close()
  show("connect", s:connect("127.0.0.1", ctx.port, { pool = name }))
  show("getreusedtimes", s:getreusedtimes())
end
fresh()
try("setkeepalive(1, 2, 3)", function() return P(s:setkeepalive(1, 2, 3)) end)
try("setkeepalive(0, 0) new pool", function() return P(s:setkeepalive(0, 0)) end)
try("setkeepalive(nil, -1) new pool", function() return P(s:setkeepalive(nil, -1)) end)
try("setkeepalive(nil, 0.5) new pool", function() return P(s:setkeepalive(nil, 0.5)) end)
try("setkeepalive(0, '0') new pool", function() return P(s:setkeepalive(0, "0")) end)
try("still connected: send", function() return P(s:send("a\n")) end)
try("receive()", function() return P(s:receive()) end)
try("getreusedtimes", function() return P(s:getreusedtimes()) end)
try("setkeepalive(nil, '2')", function() return P(s:setkeepalive(nil, "2")) end)
fresh()
try("setkeepalive(0, 0) existing pool", function() return P(s:setkeepalive(0, 0)) end)
fresh()
try("setkeepalive('60000')", function() return P(s:setkeepalive("60000")) end)
fresh()
try("setkeepalive(nil, nil)", function() return P(s:setkeepalive(nil, nil)) end)
fresh()
try("setkeepalive(0.5, 1.5)", function() return P(s:setkeepalive(0.5, 1.5)) end)
fresh()
try("setkeepalive(1e10, 2^40)", function() return P(s:setkeepalive(1e10, 2^40)) end)
fresh()
s:close()
try("closed: setkeepalive(0, 0)", function() return P(s:setkeepalive(0, 0)) end)
try("closed: setkeepalive(1, 2, 3)", function() return P(s:setkeepalive(1, 2, 3)) end)
try("s.setkeepalive()", function() return P(s.setkeepalive()) end)
try("s.getreusedtimes()", function() return P(s.getreusedtimes()) end)
try("getreusedtimes(1)", function() return P(s:getreusedtimes(1)) end)
-- leave nothing pooled
show("connect", s:connect("127.0.0.1", ctx.port, { pool = name }))
show("close", s:close())
