-- peer: flood:1000000;close
-- A line that never ends: the whole megabyte comes back as the partial.
local ctx = ...
local s = ctx.tcp()
s:settimeout(5000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("line", s:receive())
ctx.show("line again", s:receive())
