-- peer: echo
-- Scalars: nil and booleans are sent as their names, numbers in LuaJIT's
-- %.14g form (3.0 is "3"); the echo shows the bytes.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local values = { { "nil" }, { "true", true }, { "false", false }, { "1", 1 }, { "1.5", 1.5 },
                 { "3.0", 3.0 }, { "-0.0", -0.0 }, { "-2", -2 }, { "1e20", 1e20 },
                 { "2^53", 2^53 }, { "math.huge", math.huge }, { "0.1", 0.1 }, { "1/3", 1/3 },
                 { "123456789012", 123456789012 }, { "'abc'", "abc" }, { "''", "" } }
local total = 0
for _, v in ipairs(values) do
  local data = v[2]
  local n = s:send(data)
  total = total + (n or 0)
  ctx.show("send(" .. v[1] .. ")", n)
  ctx.show("echo", s:receive(n or 0))
end
ctx.show("total", total)
