-- peer-unix: send:partial line;close
-- A unix domain peer that closes mid-line.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("unix:" .. ctx.path, {}))
ctx.show("receive()", s:receive())
ctx.show("receive()", s:receive())
ctx.show("close", s:close())
