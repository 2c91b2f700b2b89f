-- peer: recvline;send:abcd\n;recvline;send:x;hold
-- What counts against a pool's backlog, after each way a connection can
-- end: an anchor keeps one of the two slots busy (and the pool alive), a
-- probe connect shows whether the other slot is free. The peer's "x" waits
-- for the client's second line, so that no read can take it before the
-- check for a dubious state, however late the reads run.
local ctx = ...
local show = ctx.show
local opts = { pool = "cnt" .. ctx.port, pool_size = 2, backlog = 0 }
local anchor, s, probe = ctx.tcp(), ctx.tcp(), ctx.tcp()
for _, x in ipairs({ anchor, s, probe }) do x:settimeout(2000) end
local function check(label)
  local ok, err = probe:connect("127.0.0.1", ctx.port, opts)
  show(label .. ": probe", ok, err)
  if ok then probe:close() end
end
show("anchor", anchor:connect("127.0.0.1", ctx.port, opts))
show("s", s:connect("127.0.0.1", ctx.port, opts))
check("both busy")
show("s setkeepalive", s:setkeepalive(0))
check("s idle")
show("s", s:connect("127.0.0.1", ctx.port, opts))
show("s getreusedtimes", s:getreusedtimes())
show("s send", s:send("go\n"))
ctx.sleep(0.05)
show("s receive(2)", s:receive(2))
show("s setkeepalive", s:setkeepalive(0))
check("unread data")
show("s receive()", s:receive())
show("s send", s:send("more\n"))
ctx.sleep(0.6)
show("s setkeepalive", s:setkeepalive(0))
check("dubious state")
show("s refused", s:connect("127.0.0.1", 1, opts))
check("refused")
show("s", s:connect("127.0.0.1", ctx.port, opts))
show("s reconnect", s:connect("127.0.0.1", ctx.port, opts))
check("reconnect")
show("s bad port", s:connect("127.0.0.1", 65536, opts))
check("bad port")
show("s close", s:close())
check("close")
show("s", s:connect("127.0.0.1", ctx.port, opts))
show("s setkeepalive", s:setkeepalive(0))
show("s", s:connect("127.0.0.1", ctx.port, opts))
show("s getreusedtimes", s:getreusedtimes())
check("reused")
show("s setkeepalive", s:setkeepalive(0))
show("s other pool", s:connect("127.0.0.1", ctx.port, { pool = "other" .. ctx.port }))
show("s setkeepalive", s:setkeepalive(0))
check("idle, s elsewhere")
show("s", s:connect("127.0.0.1", ctx.port, { pool = "other" .. ctx.port }))
show("s getreusedtimes", s:getreusedtimes())
show("s close", s:close())
show("anchor close", anchor:close())
