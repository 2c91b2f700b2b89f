-- peer: none
-- Bad arguments, table-driven (200-206 share t/diff/badargs.lua; method() is
-- not used here): the module functions tcp(), stream(), udp() and
-- connect(). In nginx they are ngx.socket's; natively both the front
-- (resty.luasocket) and the C module (resty.luasocket.native, which has no
-- stream or connect).
local ctx = ...
local B = ctx.lib("badargs")
local P, native, check, positions = B.P, B.native, B.check, B.positions

local mods = { { "ngx.socket", ngx and ngx.socket or require("resty.luasocket") },
               { "native", ngx and ngx.socket or native } }
for _, m in ipairs(mods) do
  local M, p = m[2], m[1] .. "."
  -- tcp and udp take no argument at all, whatever it is
  local tcp = function(...) return P(M.tcp(...)) end
  local udp = function(...) return P(M.udp(...)) end
  positions(p .. "tcp", tcp, P(nil))
  positions(p .. "udp", udp, P(nil))
  check(p .. "tcp(1, 2)", function() return tcp(1, 2) end)
  check(p .. "udp(1, 2)", function() return udp(1, 2) end)
  check(p .. "tcp()", function() return P(M.tcp()) end)
  check(p .. "udp()", function() return P(M.udp()) end)
end

local M = mods[1][2]
local stream = function(...) return P(M.stream(...)) end
positions("stream", stream, P(nil))
check("stream()", function() return P(M.stream()) end)

-- connect(...) is tcp() then sock:connect(...): the errors of connect,
-- raised by a Lua function (ngx_lua's is the chunk "ngx.socket.connect",
-- ours is in resty/luasocket.lua), so without their position prefix.
local connect = function(...) return P(M.connect(...)) end
check("connect()", function() return connect() end, true)
check("connect(5 args)", function() return connect("127.0.0.1", ctx.port, {}, 1, 2) end, true)
local hostport = P("127.0.0.1", ctx.port)
hostport.labels = { "ip", "port" }
positions("connect", connect, hostport,
          -- a host that is a number or a name would need a resolver in nginx
          function(i, class, label) return i == 2 or class == "t" or label == "''" end, true)
local opts = P("127.0.0.1", ctx.port, {})
opts.labels = { "ip", "port", "opts" }
positions("connect", connect, opts,
          function(i, class) return i == 3 and class == "t" end, true)
check("connect(unix)", function() return connect("unix:" .. ctx.path) end, true)
