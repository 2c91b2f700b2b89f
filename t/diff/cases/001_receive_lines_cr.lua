-- peer: send:ab\r\ncd\r\r\nef\rgh\n\nlast
-- '*l' (the default) drops every CR inside a line, not only the last one;
-- EOF in the middle of a line gives the partial, then the socket is closed.
local ctx = ...
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
for i = 1, 5 do ctx.show("receive #" .. i, s:receive()) end
ctx.show("receive after EOF", s:receive())
ctx.show("receive *a after EOF", s:receive("*a"))
ctx.show("close", s:close())
