-- peer: none
-- settimeout takes exactly one argument.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
try("settimeout()", function() return P(s:settimeout()) end)
try("settimeout(1, 2)", function() return P(s:settimeout(1, 2)) end)
try("s.settimeout()", function() return P(s.settimeout()) end)
