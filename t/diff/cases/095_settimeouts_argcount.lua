-- peer: none
-- settimeouts takes three arguments (the message says "settimeout").
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
try("settimeouts()", function() return P(s:settimeouts()) end)
try("settimeouts(1, 2, 3, 4)", function() return P(s:settimeouts(1, 2, 3, 4)) end)
try("s.settimeouts()", function() return P(s.settimeouts()) end)
