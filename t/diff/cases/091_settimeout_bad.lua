-- peer: none
-- settimeout values that raise "bad timeout value".
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
for _, v in ipairs({ -1, -1.5, "-1", 2^31, 2^32, 1e100, -1e100, math.huge, -math.huge, 0/0 }) do
  try("settimeout(" .. ctx.fmt(v) .. ")", function() return P(s:settimeout(v)) end)
end
