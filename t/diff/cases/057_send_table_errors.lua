-- peer: echo
-- Bad table elements raise; nothing of the table is sent.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
try("{true}", function() return P(s:send({ true })) end)
try("{false}", function() return P(s:send({ false })) end)
try("{'a', true}", function() return P(s:send({ "a", true })) end)
try("{{true}}", function() return P(s:send({ { true } })) end)
try("{nil, 'b'}", function() return P(s:send({ nil, "b" })) end)
try("{'a', nil, 'c'}", function() return P(s:send({ "a", nil, "c" })) end)
try("{[2] = 'b'}", function() return P(s:send({ [2] = "b" })) end)
try("{x = 1}", function() return P(s:send({ x = 1 })) end)
try("{'a', x = 1}", function() return P(s:send({ "a", x = 1 })) end)
try("{print}", function() return P(s:send({ print })) end)
try("{io.stdout}", function() return P(s:send({ io.stdout })) end)
try("{{'a'}, {x = 1}}", function() return P(s:send({ { "a" }, { x = 1 } })) end)
try("send('ok')", function() return P(s:send("ok")) end)
ctx.show("echo: nothing before ok", s:receive(2))
