-- peer: none
-- Accepted settimeout values return nothing; non-numbers count as 0.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
for _, v in ipairs({ 0, 1, 100, "100", "abc", {}, true, 1.5, -0.5, 2^31 - 1 }) do
  try("settimeout(" .. ctx.fmt(v) .. ")", function() return P(s:settimeout(v)) end)
end
try("settimeout(nil)", function() return P(s:settimeout(nil)) end)
try("settimeout(print)", function() return P(s:settimeout(print)) end)
