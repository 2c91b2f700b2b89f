-- peer: none
-- Bad arguments, table-driven (200-206 share t/diff/badargs.lua): every wrong
-- type, count and range of connect and bind. A table as self is left out:
-- ngx_lua takes any table for a socket (FACTS.md).
local ctx = ...
local B = ctx.lib("badargs")
local P, V, check, positions, method = B.P, B.V, B.check, B.positions, B.method

-- connect and bind on a socket never connected; nobody listens on the
-- port, so every connect that passes the checks is refused.
local s = ctx.tcp()
s:settimeout(2000)
local hostport = P("127.0.0.1", ctx.port)
hostport.labels = { "ip", "port" }
method({ name = "connect", args = hostport, min = 1, max = 3,
         call = function(...) return P(s:connect(...)) end,
         field = function(...) return P(s.connect(...)) end,
         -- a host that is a number or a name needs a resolver in nginx
         pick = function(i, class, label) return i == 2 or class == "t" or label == "''" end })
-- the options: in 3rd place, or 2nd after a unix path; a non-table is ignored
local opts = P("127.0.0.1", ctx.port, {})
opts.labels = { "ip", "port", "opts" }
positions("connect", function(...) return P(s:connect(...)) end, opts,
          function(i) return i == 3 end)
-- Not compared: {pool_size = 2^31}. ngx_lua allocates the whole pool at
-- once and LuaJIT refuses that userdata ("userdata length overflow", from
-- about 11 million connections up); the native pool grows as it fills.
local function pool_size_ok(v) return v[1] ~= "2^31" end
for _, key in ipairs({ "pool", "pool_size", "backlog" }) do
  for _, v in ipairs(V) do
    if key ~= "pool_size" or pool_size_ok(v) then
      check("connect(ip, port, {" .. key .. " = " .. v[1] .. "})",
            function() return P(s:connect("127.0.0.1", ctx.port, { [key] = v[2] })) end)
    end
  end
end
local unix = P("unix:" .. ctx.path, {})
unix.labels = { "unix", "opts" }
positions("connect", function(...) return P(s:connect(...)) end, unix,
          function(i, class, label) return i == 2 or class == "t" or label == "''" end)
for _, v in ipairs(V) do
  if pool_size_ok(v) then
    check("connect(unix, port, {pool_size = " .. v[1] .. "})",
          function() return P(s:connect("unix:" .. ctx.path, 80, { pool_size = v[2] })) end)
  end
end

-- bind takes an IP literal (a number is taken as its text)
method({ name = "bind", args = P("127.0.0.1"), min = 1, max = 1,
         call = function(...) return P(s:bind(...)) end,
         field = function(...) return P(s.bind(...)) end })
check("close", function() return P(s:close()) end)
