-- peer: close
-- A peer that closes without a byte: every read pattern reports it.
local ctx = ...
local P, try = ctx.pack, ctx.try
local function fresh()
  local s = ctx.tcp()
  s:settimeout(2000)
  s:connect("127.0.0.1", ctx.port)
  return s
end
local a, b, c, d, e = fresh(), fresh(), fresh(), fresh(), fresh()
try("*l", function() return P(a:receive()) end)
try("*a", function() return P(b:receive("*a")) end)
try("size", function() return P(c:receive(4)) end)
try("receiveany", function() return P(d:receiveany(4)) end)
try("receiveuntil", function() return P(e:receiveuntil("x")()) end)
try("receiveuntil size", function() return P(e:receiveuntil("x")(2)) end)
