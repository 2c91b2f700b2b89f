-- peer: reset
-- A peer that resets right after accepting, before sending anything.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("receive()", s:receive())
ctx.show("receive()", s:receive())
ctx.show("close", s:close())
