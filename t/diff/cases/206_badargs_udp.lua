-- peer: none
-- Bad arguments, table-driven (200-206 share t/diff/badargs.lua): the UDP
-- socket, before setpeername (send, receive and close say "closed" first)
-- and after it, to a port where nobody listens: there only what raises is
-- sent, and a receive that passes the checks waits for the 50 ms timeout.
-- A table as self is left out: ngx_lua takes any table for a socket.
local ctx = ...
local B = ctx.lib("badargs")
local P, say, native, V, check, method = B.P, B.say, B.native, B.V, B.check, B.method

local udp = ngx and ngx.socket.udp or native.udp
-- what send must refuse: nothing of it goes out
local unsendable = { print = true, null = true, ["io.stdout"] = true, thread = true }
local function methods(u, connected)
  -- nginx's settimeout does not look at self (one that is not a table
  -- would crash it): no wrong selves
  method({ name = "settimeout", args = P(50), min = 1, max = 1, selves = false,
           call = function(...) return P(u:settimeout(...)) end,
           field = function(...) return P(u.settimeout(...)) end })
  u:settimeout(50)
  method({ name = "send", args = P("x"), min = 1, max = 1,
           call = function(...) return P(u:send(...)) end,
           field = function(...) return P(u.send(...)) end,
           pick = function(_, _, label) return not connected or unsendable[label] end })
  for _, v in ipairs(V) do
    if not connected or unsendable[v[1]] or v[1] == "true" or v[1] == "false" then
      check("send({" .. v[1] .. "})", function() return P(u:send({ v[2] })) end)
    end
  end
  method({ name = "receive", args = P(10), min = 0, max = 1,
           call = function(...) return P(u:receive(...)) end,
           field = function(...) return P(u.receive(...)) end })
end

say("-- before setpeername")
local u = udp()
methods(u, false)
method({ name = "close", args = P(), min = 0, max = 0,
         call = function(...) return P(u:close(...)) end,
         field = function(...) return P(u.close(...)) end })
local hostport = P("127.0.0.1", ctx.port)
hostport.labels = { "ip", "port" }
method({ name = "setpeername", args = hostport, min = 1, max = 2,
         call = function(...) return P(u:setpeername(...)) end,
         field = function(...) return P(u.setpeername(...)) end,
         -- a host that is a number or a name needs a resolver in nginx
         pick = function(i, class, label) return i == 2 or class == "t" or label == "''" end })
say("-- after setpeername")
ctx.show("setpeername", u:setpeername("127.0.0.1", ctx.port))
methods(u, true)
ctx.show("close", u:close())
