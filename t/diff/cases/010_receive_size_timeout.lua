-- peer: send:hello;sleep:700;send:world!;hold
-- A size read that times out returns what arrived as partial (consumed).
local ctx = ...
local s = ctx.tcp()
s:settimeout(200)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("receive(10)", s:receive(10))
ctx.show("receive(10) again", s:receive(10))
s:settimeout(3000)
ctx.show("receive(5)", s:receive(5))
ctx.show("receive(1)", s:receive(1))
ctx.show("close", s:close())
