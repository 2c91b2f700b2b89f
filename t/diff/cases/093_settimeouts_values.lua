-- peer: none
-- Accepted settimeouts values (missing ones count as nil).
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
try("(1, 2, 3)", function() return P(s:settimeouts(1, 2, 3)) end)
try("(0, 0, 0)", function() return P(s:settimeouts(0, 0, 0)) end)
try("(nil, nil, nil)", function() return P(s:settimeouts(nil, nil, nil)) end)
try("('a', {}, true)", function() return P(s:settimeouts("a", {}, true)) end)
try("('5', '5', '5')", function() return P(s:settimeouts("5", "5", "5")) end)
try("(1.5, 0.5, -0.5)", function() return P(s:settimeouts(1.5, 0.5, -0.5)) end)
try("(1, 2)", function() return P(s:settimeouts(1, 2)) end)
try("(1)", function() return P(s:settimeouts(1)) end)
