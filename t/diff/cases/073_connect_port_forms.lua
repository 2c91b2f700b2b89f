-- peer: send:hi\n;hold
-- Ports as number strings and with fractions (truncated).
local ctx = ...
local P, try = ctx.pack, ctx.try
local function attempt(label, port)
  local s = ctx.tcp()
  s:settimeout(2000)
  try(label, function() return P(s:connect("127.0.0.1", port)) end)
  try(label .. " receive", function() return P(s:receive()) end)
  s:close()
end
attempt("string port", tostring(ctx.port))
attempt("port + 0.5", ctx.port + 0.5)
attempt("port + 0.99", ctx.port + 0.99)
attempt("string port with spaces", " " .. ctx.port .. " ")
