-- peer: hold
-- Bad arguments, table-driven (200-206 share t/diff/badargs.lua): the methods
-- on a socket never connected and on a closed one, where ngx_lua says
-- "closed" before it looks at most arguments. Wrong selves are as on a
-- connected socket (202, 203): not repeated.
local ctx = ...
local B = ctx.lib("badargs")
local P, say, method = B.P, B.say, B.method

local function methods(s)
  method({ name = "send", args = P("x"), min = 1, max = 1,
           call = function(...) return P(s:send(...)) end })
  method({ name = "receive", args = P("*l"), min = 0, max = 1,
           call = function(...) return P(s:receive(...)) end })
  method({ name = "receiveany", args = P(5), min = 1, max = 1,
           call = function(...) return P(s:receiveany(...)) end })
  local until_args = P("--", {})
  until_args.labels = { "'--'", "{}" }
  method({ name = "receiveuntil", args = until_args, min = 1, max = 2,
           call = function(...) return P(s:receiveuntil(...)) end })
  local it = s:receiveuntil("--")
  method({ name = "it", args = P(1), min = 0, max = 1,
           call = function(...) return P(it(...)) end })
  method({ name = "getreusedtimes", args = P(), min = 0, max = 0,
           call = function(...) return P(s:getreusedtimes(...)) end })
  -- setkeepalive: ngx_lua 0.10.23 says "closed" before it checks the types
  -- of its arguments, 0.10.27 (and the native socket, SPEC 3) after: only
  -- numbers are compared
  method({ name = "setkeepalive", args = P(0, 10), min = 0, max = 2,
           call = function(...) return P(s:setkeepalive(...)) end,
           pick = function(_, class, label) return class == "n" or label == "nil" or label == "'5'" end })
  -- setoption and getoption: resty.core's Lua (203)
  method({ name = "setoption", args = P("keepalive", true), min = 2, max = 2,
           call = function(...) return P(s:setoption(...)) end, strip = true,
           pick = function(i, class, label)
             return i == 1 or class == "n" or label == "nil" or label == "true" or label == "false"
           end })
  method({ name = "getoption", args = P("keepalive"), min = 1, max = 1, strip = true,
           call = function(...) return P(s:getoption(...)) end })
  method({ name = "close", args = P(), min = 0, max = 0,
           call = function(...) return P(s:close(...)) end })
end

say("-- never connected")
methods(ctx.tcp())
say("-- closed")
local s = ctx.tcp()
s:settimeout(2000)
ctx.show("connect", s:connect("127.0.0.1", ctx.port))
ctx.show("close", s:close())
methods(s)
