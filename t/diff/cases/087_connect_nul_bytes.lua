-- peer: recvline;send:1\n;recvline;send:2\n;hold
-- Hosts and pool names with a NUL byte. nginx's parser sees the whole host:
-- a bracketed IPv6 literal with a NUL fails there (the message shows the
-- host up to the NUL). A pool name is a whole Lua string: "a\0b" and "a"
-- are two pools. (Other hosts with a NUL are resolver failures in ngx_lua,
-- which needs a `resolver` here: spec/connect_spec.lua checks them.)
local ctx = ...
local P, try, show = ctx.pack, ctx.try, ctx.show
for _, host in ipairs({ "[::1]\0x", "[::1\0]", "[\0::1]", "[::1]\0", "[::1]:\0", "[\0", "[]\0",
                        "[::1]x", "[::1", "[foo]" }) do
  try(ctx.fmt(host), function() return P(ctx.tcp():connect(host, ctx.port)) end)
end
local s = ctx.tcp()
s:settimeout(2000)
local a, ab = "a" .. ctx.port, "a" .. ctx.port .. "\0b"
show("connect pool a\\0b", s:connect("127.0.0.1", ctx.port, { pool = ab }))
show("send", s:send("x\n"))
show("receive", s:receive())
show("setkeepalive", s:setkeepalive())
show("connect pool a", s:connect("127.0.0.1", ctx.port, { pool = a }))
show("getreusedtimes", s:getreusedtimes())
show("close", s:close())
show("connect pool a\\0b again", s:connect("127.0.0.1", ctx.port, { pool = ab }))
show("getreusedtimes", s:getreusedtimes())
show("send", s:send("y\n"))
show("receive", s:receive())
show("close", s:close())
