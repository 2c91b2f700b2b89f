-- peer: send:key: value\r\n\r\nXYZ;sleep:200;send:more;close
-- After a complete match, receiveany returns the bytes buffered behind it.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("until", s:receiveuntil("\r\n\r\n")())
ctx.show("receiveany(10)", s:receiveany(10))
ctx.show("receiveany(10)", s:receiveany(10))
ctx.show("receiveany(10)", s:receiveany(10))
