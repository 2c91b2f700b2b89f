-- peer: hold
-- Bad arguments, table-driven (200-206 share t/diff/badargs.lua): close,
-- settimeout(s), setoption, getoption, setkeepalive and getreusedtimes on a
-- connected socket. A table as self is left out: ngx_lua takes any table
-- for a socket (FACTS.md).
local ctx = ...
local B = ctx.lib("badargs")
local P, V, check, method = B.P, B.V, B.check, B.method

local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
-- settimeout(s) do not look at self in ngx_lua (a self that is not a
-- table would crash nginx): no wrong selves
method({ name = "settimeout", args = P(100), min = 1, max = 1, selves = false,
         call = function(...) return P(s:settimeout(...)) end,
         field = function(...) return P(s.settimeout(...)) end })
method({ name = "settimeouts", args = P(100, 100, 100), min = 3, max = 3, selves = false,
         call = function(...) return P(s:settimeouts(...)) end,
         field = function(...) return P(s.settimeouts(...)) end })
-- setoption and getoption are Lua functions of resty.core in nginx: no
-- count check, and no wrong selves (resty.core indexes whatever it gets).
-- A value that is not a number or a boolean is not compared: resty.core
-- hands it to the FFI, which raises its own conversion error.
method({ name = "setoption", args = P("keepalive", true), min = 2, max = 2,
         call = function(...) return P(s:setoption(...)) end,
         pick = function(i, class, label)
           return i == 1 or class == "n" or label == "nil" or label == "true" or label == "false"
         end })
method({ name = "getoption", args = P("keepalive"), min = 1, max = 1,
         call = function(...) return P(s:getoption(...)) end })
-- what the value became: a number out of the int range is INT_MIN, true
for _, v in ipairs(V) do
  if v[3] == "n" or v[1] == "true" or v[1] == "false" then
    check("setoption('keepalive', " .. v[1] .. "), getoption", function()
      s:setoption("keepalive", v[2])
      return P(s:getoption("keepalive"))
    end)
  end
end
method({ name = "getreusedtimes", args = P(), min = 0, max = 0,
         call = function(...) return P(s:getreusedtimes(...)) end,
         field = function(...) return P(s.getreusedtimes(...)) end })
-- setkeepalive: ngx_lua 0.10.23 pools the connection before it checks the
-- types of its arguments, fixed in 0.10.27, whose order the native socket
-- follows (SPEC 3): counts and selves only.
method({ name = "setkeepalive", args = P(0, 10), min = 0, max = 2,
         call = function(...) return P(s:setkeepalive(...)) end,
         field = function(...) return P(s.setkeepalive(...)) end,
         pick = function() return false end })
method({ name = "close", args = P(), min = 0, max = 0,
         call = function(...) return P(s:close(...)) end,
         field = function(...) return P(s.close(...)) end })
ctx.show("close", s:close())
