-- peer: send:everything so far;sleep:150;reset
-- A reset during '*a'.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("*a", s:receive("*a"))
ctx.show("*a", s:receive("*a"))
