-- peer: send:hel;sleep:700;send:lo\nnext\n;hold
-- A line read that times out returns the partial line, consumed; the
-- connection stays usable and the rest of the line comes next.
local ctx = ...
local s = ctx.tcp()
s:settimeout(200)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("receive()", s:receive())
ctx.show("receive() again", s:receive())
s:settimeout(3000)
ctx.show("receive() later", s:receive())
ctx.show("receive() next", s:receive())
ctx.show("close", s:close())
