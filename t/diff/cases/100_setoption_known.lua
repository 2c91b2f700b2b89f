-- peer: hold
-- Known options with number and boolean values answer true.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local cases = { { "keepalive", true }, { "keepalive", false }, { "keepalive", 1 },
                { "keepalive", 0 }, { "reuseaddr", true }, { "reuseaddr", 0 },
                { "tcp-nodelay", true }, { "tcp-nodelay", 1 }, { "tcp-nodelay", false },
                { "sndbuf", 65536 }, { "sndbuf", true }, { "rcvbuf", 65536 }, { "rcvbuf", 1.5 } }
for _, c in ipairs(cases) do
  local name, value = c[1], c[2]
  try(name .. " " .. ctx.fmt(value), function() return P(s:setoption(name, value)) end)
end
try("3 arguments", function() return P(s:setoption("keepalive", true, 1)) end)
ctx.show("still usable", s:send("x"))
