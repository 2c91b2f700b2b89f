-- peer-tls: server -tls1_2 -www
-- a TLS 1.2 session resumes: s_server's status page says "New" for the
-- first connection and "Reused" for the ones given the previous session.
local ctx = ...
local show = ctx.show
local sess
for i = 1, 3 do
  local s = ctx.tcp()
  s:settimeout(3000)
  show("connect " .. i, s:connect("127.0.0.1", ctx.port))
  local new, err = s:sslhandshake(sess, "localhost", true)
  show("sslhandshake", new, err)
  show("send", s:send("GET / HTTP/1.0\r\n\r\n"))
  local page = s:receive("*a") or ""
  show("status", page:match("\n(New, [^\n]*)") or page:match("\n(Reused, [^\n]*)"))
  show("close", s:close())
  sess = new
end
