-- peer: echo
-- Tables are read raw: __index, __len and __tostring are ignored.
local ctx = ...
local P, try = ctx.pack, ctx.try
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
local idx = setmetatable({}, { __index = function(_, k) if k <= 2 then return "m" end end })
local len = setmetatable({ "a" }, { __len = function() return 3 end })
local ts = setmetatable({}, { __tostring = function() return "TS" end })
try("__index", function() return P(s:send(idx)) end)
try("__len", function() return P(s:send(len)) end)
try("__tostring", function() return P(s:send(ts)) end)
try("end", function() return P(s:send("!")) end)
ctx.show("echo", s:receive(2))
