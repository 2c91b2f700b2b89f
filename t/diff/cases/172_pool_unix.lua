-- peer-unix: recvline;send:1\n;recvline;send:2\n;recvline;send:3\n;hold
-- A unix socket's pool is named by the path as written ("unix:" and all):
-- the same text shares, another spelling of the same file does not.
local ctx = ...
local show = ctx.show
local u = "unix:" .. ctx.path
local s = ctx.tcp()
s:settimeout(2000)
local function use(label, ...)
  show(label, s:connect(...))
  show("getreusedtimes", s:getreusedtimes())
  show("send", s:send("x\n"))
  show("receive()", s:receive())
  show("setkeepalive(0)", s:setkeepalive(0))
end
use("path", u)
use("same path", u)
use("path, nil", u, nil)
use("UNIX: prefix", "UNIX:" .. ctx.path)
use("pool option", u, { pool = "unix" .. ctx.path })
use("pool option, nil port", u, nil, { pool = "unix" .. ctx.path })
-- empty the pools
for _, args in ipairs({ { u }, { "UNIX:" .. ctx.path }, { u, { pool = "unix" .. ctx.path } } }) do
  for _ = 1, 5 do
    local d = ctx.tcp()
    d:settimeout(2000)
    if not d:connect(args[1], args[2]) then break end
    local r = d:getreusedtimes()
    d:close()
    if r == 0 then break end
  end
end
