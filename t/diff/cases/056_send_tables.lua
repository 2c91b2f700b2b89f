-- peer: echo
-- Array tables, nested at any depth, are sent concatenated.
local ctx = ...
local P = ctx.pack
local total = 0
local function try(label, f)
  ctx.try(label, function()
    local r = f()
    if type(r[1]) == "number" then total = total + r[1] end
    return r
  end)
end
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
try("{}", function() return P(s:send({})) end)
try("{{}}", function() return P(s:send({ {}, { {} }, "" })) end)
try("{1, 2, {3}}", function() return P(s:send({ 1, 2, { 3 } })) end)
try("nested", function() return P(s:send({ "a", { "b", { "c", { "d" } } }, 1.5 })) end)
try("numbers", function() return P(s:send({ 1.5, 3.0, -2, 1e20 })) end)
try("binary", function() return P(s:send({ "\0", "\255\r\n" })) end)
ctx.show("echo", s:receive(total))
