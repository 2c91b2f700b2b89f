-- peer: hold
-- Unknown option names: nil, "unsupported option NAME".
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
for _, name in ipairs({ "linger", "unknown", "", "KEEPALIVE", "tcp_nodelay", 1, true }) do
  try("setoption(" .. ctx.fmt(name) .. ")", function() return P(s:setoption(name, 1)) end)
end
