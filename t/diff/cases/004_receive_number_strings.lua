-- peer: send:0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ;hold
-- Sizes may be number-like strings; fractions are truncated.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
for _, p in ipairs({ "5", " 5", "0x5", "1e1", "5.7", "3 ", 5.7, 2.2, "1", "0X2" }) do
  try("receive(" .. ctx.fmt(p) .. ")", function() return P(s:receive(p)) end)
end
