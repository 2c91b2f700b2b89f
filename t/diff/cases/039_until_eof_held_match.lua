-- peer: send:one--two-;close
-- EOF while the iterator holds a partial match ("-" of "--").
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local it = s:receiveuntil("--")
ctx.show("it() #1", it())
ctx.show("it() #2", it())
ctx.show("it() #3", it())
