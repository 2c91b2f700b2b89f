-- peer: send:hi\n;hold
-- A third argument that is not a table is ignored, as are unknown keys.
local ctx = ...
local P, try = ctx.pack, ctx.try
for _, o in ipairs({ "x", 5, true, {}, { unknown = 1 } }) do
  local s = ctx.tcp()
  s:settimeout(2000)
  try("opts " .. ctx.fmt(o), function() return P(s:connect("127.0.0.1", ctx.port, o)) end)
  s:close()
end
local s = ctx.tcp()
s:settimeout(2000)
try("opts nil", function() return P(s:connect("127.0.0.1", ctx.port, nil)) end)
