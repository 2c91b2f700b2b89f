-- peer: sleep:100;reset
-- A peer that resets soon after accepting, before sending anything (the
-- sleep lets connect finish first on both sides: without it the reset races
-- with the connect check, see FACTS.md).
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("receive()", s:receive())
ctx.show("receive()", s:receive())
ctx.show("close", s:close())
