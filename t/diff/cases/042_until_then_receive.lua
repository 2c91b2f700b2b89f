-- peer: send:header one\r\n\r\nbody12345rest\nline\n;close
-- After a complete match (nothing held), receive reads what follows.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local it = s:receiveuntil("\r\n\r\n")
ctx.show("it()", it())
ctx.show("receive(5)", s:receive(5))
ctx.show("receive()", s:receive())
ctx.show("receive()", s:receive())
ctx.show("it() new round", it())
