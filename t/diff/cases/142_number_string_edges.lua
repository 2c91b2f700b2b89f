-- peer: send:0123456789abcdefghijklmnopqrstuvwxyz0123456789;hold
-- Number-like strings at the edge of what LuaJIT's tonumber accepts, as
-- sizes, max, timeouts and ports.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
for _, p in ipairs({ "inf", "nan", "-inf", "0x1p4", "1e", ".5", "5.", "1_0", "  3\n", "\t2" }) do
  try("receive(" .. ctx.fmt(p) .. ")", function() return P(s:receive(p)) end)
end
try("receiveany('inf')", function() return P(s:receiveany("inf")) end)
try("settimeout('inf')", function() return P(s:settimeout("inf")) end)
try("settimeout('nan')", function() return P(s:settimeout("nan")) end)
try("connect port 'inf'", function() return P(ctx.tcp():connect("127.0.0.1", "inf")) end)
