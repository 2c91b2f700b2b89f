-- peer: none
-- Bad arguments, table-driven (200-206 share t/diff/badargs.lua): sslhandshake
-- and setclientcert, on a socket never connected and on one whose connect
-- failed. Both are Lua functions of resty.core in nginx: their errors are
-- compared without position prefixes (resty.core's name its own file), and
-- wrong selves are left out (resty.core indexes whatever it gets).
local ctx = ...
local B = ctx.lib("badargs")
local P, say, V, check, method = B.P, B.say, B.V, B.check, B.method

for _, state in ipairs({ "never connected", "closed" }) do
  say("-- ", state)
  local s = ctx.tcp()
  if state == "closed" then
    s:settimeout(2000)
    ctx.show("connect", s:connect("127.0.0.1", ctx.port))
  end
  -- A server name that is not a string (nor nil or false) is not compared:
  -- resty.core hands it to the FFI, which raises its own conversion error.
  method({ name = "sslhandshake", args = P(nil, "localhost", false, false), min = 0, max = 4,
           call = function(...) return P(s:sslhandshake(...)) end,
           field = function(...) return P(s.sslhandshake(...)) end, selves = false,
           pick = function(i, class, label) return i ~= 2 or class == "s" or label == "false" end,
           strip = true })
  -- ngx_lua takes the certificate and key as cdata (from ngx.ssl), the
  -- native socket as PEM text: strings are not compared, and the type
  -- that "bad cert arg" and "bad pkey arg" expect prints as CERT.
  local function setclientcert(...)
    local res = P(s:setclientcert(...))
    if type(res[2]) == "string" then res[2] = res[2]:gsub("%a+ expected", "CERT expected") end
    return res
  end
  method({ name = "setclientcert", args = P(nil, nil), min = 0, max = 2,
           call = setclientcert, pick = function(_, class) return class ~= "s" end })
  for _, v in ipairs(V) do
    if v[3] ~= "s" then
      check("setclientcert(" .. v[1] .. ", " .. v[1] .. ")",
            function() return setclientcert(v[2], v[2]) end)
    end
  end
  check("close", function() return P(s:close()) end)
end
