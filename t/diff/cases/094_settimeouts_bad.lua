-- peer: none
-- A bad value in any position of settimeouts.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
try("(-1, 1, 1)", function() return P(s:settimeouts(-1, 1, 1)) end)
try("(1, -1, 1)", function() return P(s:settimeouts(1, -1, 1)) end)
try("(1, 1, -1)", function() return P(s:settimeouts(1, 1, -1)) end)
try("(2^31, 1, 1)", function() return P(s:settimeouts(2^31, 1, 1)) end)
try("(1, 1e100, 1)", function() return P(s:settimeouts(1, 1e100, 1)) end)
try("(1, 1, 0/0)", function() return P(s:settimeouts(1, 1, 0/0)) end)
try("('-1', 1, 1)", function() return P(s:settimeouts("-1", 1, 1)) end)
