-- peer: send:abc--X;sleep:700;send:Y;send:def--;sleep:700;send:Zq--XYrest;close
-- A timeout while a partial match is held returns the data before it; the
-- held bytes stay in the iterator and either complete the match or come
-- back as data.
local ctx = ...
local s = ctx.tcp()
s:settimeout(250)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local it = s:receiveuntil("--XY")
ctx.show("it() #1", it())
s:settimeout(3000)
ctx.show("it() #2", it())
s:settimeout(250)
ctx.show("it() #3", it())
s:settimeout(3000)
ctx.show("it() #4", it())
ctx.show("it() #5", it())
ctx.show("it() #6", it())
