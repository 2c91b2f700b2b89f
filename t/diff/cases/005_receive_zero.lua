-- peer: send:abc;close
-- receive(0) and sizes that truncate to 0 return "" at once, even with
-- nothing buffered; once the socket is closed they give nil, "closed".
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
for _, p in ipairs({ 0, "0", 0.5, 0.9, -0.5, -0.9, "0.7" }) do
  try("receive(" .. ctx.fmt(p) .. ")", function() return P(s:receive(p)) end)
end
ctx.show("receive(10)", s:receive(10))
ctx.show("receive(0) after EOF", s:receive(0))
ctx.show("close", s:close())
ctx.show("receive(0) after close", s:receive(0))
