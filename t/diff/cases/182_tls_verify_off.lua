-- peer-tls: selfsigned -rev
-- ssl_verify false (or nil, or absent) accepts a self-signed certificate
-- for any name.
local ctx = ...
local show = ctx.show
local calls = {
  {"(nil, wrong.test, false)", nil, "wrong.test", false},
  {"(nil, localhost, nil)", nil, "localhost", nil},
  {"()", nil},
}
for _, c in ipairs(calls) do
  local s = ctx.tcp()
  s:settimeout(3000)
  show("connect", s:connect("127.0.0.1", ctx.port))
  if #c == 2 then
    show("sslhandshake" .. c[1], s:sslhandshake())
  else
    show("sslhandshake" .. c[1], s:sslhandshake(c[2], c[3], c[4]))
  end
  show("send", s:send("abc\n"))
  show("receive", s:receive())
  show("close", s:close())
end
