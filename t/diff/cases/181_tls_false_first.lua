-- peer-tls: server -rev
-- false as the first argument: true instead of a session, verified or not,
-- with or without a server name.
local ctx = ...
local show = ctx.show
local args = {
  {"localhost", true}, {nil, true}, {"localhost", false}, {nil, false},
}
for i, a in ipairs(args) do
  local s = ctx.tcp()
  s:settimeout(3000)
  show("connect " .. i, s:connect("127.0.0.1", ctx.port))
  show("sslhandshake(false, " .. tostring(a[1]) .. ", " .. tostring(a[2]) .. ")",
       s:sslhandshake(false, a[1], a[2]))
  show("send", s:send(i .. "ab\n"))
  show("receive", s:receive())
  show("close", s:close())
end
