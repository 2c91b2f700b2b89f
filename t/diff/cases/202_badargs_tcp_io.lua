-- peer: hold
-- Bad arguments, table-driven (200-206 share t/diff/badargs.lua): send,
-- receive, receiveany, receiveuntil and its iterator on a connected socket
-- whose peer sends nothing: the values that pass the checks either return
-- at once or wait for the 100 ms read timeout. A table as self is left
-- out: ngx_lua takes any table for a socket (FACTS.md).
local ctx = ...
local B = ctx.lib("badargs")
local P, V, check, positions, method = B.P, B.V, B.check, B.positions, B.method

local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
s:settimeout(100)
method({ name = "send", args = P("x"), min = 1, max = 1,
         call = function(...) return P(s:send(...)) end,
         field = function(...) return P(s.send(...)) end })
for _, v in ipairs(V) do
  check("send({" .. v[1] .. "})", function() return P(s:send({ v[2] })) end)
end
method({ name = "receive", args = P("*l"), min = 0, max = 1,
         call = function(...) return P(s:receive(...)) end,
         field = function(...) return P(s.receive(...)) end })
method({ name = "receiveany", args = P(5), min = 1, max = 1,
         call = function(...) return P(s:receiveany(...)) end,
         field = function(...) return P(s.receiveany(...)) end })
local until_args = P("--", {})
until_args.labels = { "'--'", "{}" }
method({ name = "receiveuntil", args = until_args, min = 1, max = 2,
         call = function(...) return P(s:receiveuntil(...)) end,
         field = function(...) return P(s.receiveuntil(...)) end })
for _, v in ipairs(V) do
  check("receiveuntil('--', {inclusive = " .. v[1] .. "})",
        function() return P(s:receiveuntil("--", { inclusive = v[2] })) end)
end
local it = s:receiveuntil("--")
check("it(1, 2)", function() return P(it(1, 2)) end)
positions("it", function(...) return P(it(...)) end, P(1))
ctx.show("still connected", s:send("x"))
ctx.show("close", s:close())
