-- peer: send:0123456789\n;hold
-- String patterns ngx_lua rejects: two-char "*x" forms say only "bad pattern
-- argument", every other string carries its text after a colon.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local patterns = { "*L", "*x", "*n", "l", "a", "L", "", "*", "**l", "*l ", "*line", "*all",
                   "x5", "5x", "ab\0cd" }
for _, p in ipairs(patterns) do
  try("receive(" .. ctx.fmt(p) .. ")", function() return P(s:receive(p)) end)
end
ctx.show("nothing consumed", s:receive())
ctx.show("close", s:close())
