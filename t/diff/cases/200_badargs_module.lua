-- peer: none
-- Bad arguments, table-driven (200-206 share this preamble; method() is
-- not used here): the module functions tcp(), stream(), udp() and
-- connect(). In nginx they are ngx.socket's; natively both the front
-- (resty.luasocket) and the C module (resty.luasocket.native, which has no
-- stream or connect).
local ctx = ...
local P, say, fmt = ctx.pack, ctx.say, ctx.fmt
local unpack = table.unpack or unpack -- luacheck: ignore 143
local native = not ngx and require("resty.luasocket.native")
local zero = 0
local V = { -- label, value, class: t(ype), n(umber), s(tring)
  { "nil", nil, "t" }, { "true", true, "t" }, { "false", false, "t" },
  { "{}", {}, "t" }, { "print", print, "t" }, { "null", ngx and ngx.null or native.null, "t" },
  { "io.stdout", io.stdout, "t" }, { "thread", coroutine.create(function() end), "t" },
  { "0", 0, "n" }, { "-1", -1, "n" }, { "0.5", 0.5, "n" }, { "-0.5", -0.5, "n" },
  { "2^31", 2^31, "n" }, { "1e100", 1e100, "n" }, { "-1e100", -1e100, "n" },
  { "inf", math.huge, "n" }, { "-inf", -math.huge, "n" }, { "nan", zero / zero, "n" },
  { "'x'", "x", "s" }, { "''", "", "s" }, { "'-1'", "-1", "s" }, { "'5'", "5", "s" },
}
-- Addresses in tostring()s (LuaJIT names builtins by number) print as ADDR.
local function addr(s)
  return (s:gsub("0x%x+", "ADDR"):gsub("builtin#%d+", "ADDR"))
end
-- Runs f (which returns pack(call)) and prints its values or its error as
-- ctx.try does; strip: without the error's position prefix.
local function check(label, f, strip)
  local ok, res = pcall(f)
  if not ok then
    res = addr(tostring(res))
    if strip then res = res:gsub("^[^:]*:%d+: ", "") end
    return say(label, ": ERR ", res)
  end
  for i = 1, res.n do
    if type(res[i]) == "string" then res[i] = addr(res[i]) end
  end
  ctx.show(label, unpack(res, 1, res.n))
end
-- Every wrong value that pick(position, class, label) accepts, in each
-- position of the valid arguments tmpl (pack(...), labels in tmpl.labels
-- or fmt'd), the others kept.
local function positions(name, f, tmpl, pick, strip)
  for i = 1, tmpl.n do
    for _, v in ipairs(V) do
      if not pick or pick(i, v[3], v[1]) then
        local args, labels = {}, {}
        for j = 1, tmpl.n do
          args[j], labels[j] = tmpl[j], tmpl.labels and tmpl.labels[j] or fmt(tmpl[j])
        end
        args[i], labels[i] = v[2], v[1]
        check(name .. "(" .. table.concat(labels, ", ") .. ")",
              function() return f(unpack(args, 1, tmpl.n)) end, strip)
      end
    end
  end
end

local mods = { { "ngx.socket", ngx and ngx.socket or require("resty.luasocket") },
               { "native", ngx and ngx.socket or native } }
for _, m in ipairs(mods) do
  local M, p = m[2], m[1] .. "."
  -- tcp and udp take no argument at all, whatever it is
  local tcp = function(...) return P(M.tcp(...)) end
  local udp = function(...) return P(M.udp(...)) end
  positions(p .. "tcp", tcp, P(nil))
  positions(p .. "udp", udp, P(nil))
  check(p .. "tcp(1, 2)", function() return tcp(1, 2) end)
  check(p .. "udp(1, 2)", function() return udp(1, 2) end)
  check(p .. "tcp()", function() return P(M.tcp()) end)
  check(p .. "udp()", function() return P(M.udp()) end)
end

local M = mods[1][2]
local stream = function(...) return P(M.stream(...)) end
positions("stream", stream, P(nil))
check("stream()", function() return P(M.stream()) end)

-- connect(...) is tcp() then sock:connect(...): the errors of connect,
-- raised by a Lua function (ngx_lua's is the chunk "ngx.socket.connect",
-- ours is in resty/luasocket.lua), so without their position prefix.
local connect = function(...) return P(M.connect(...)) end
check("connect()", function() return connect() end, true)
check("connect(5 args)", function() return connect("127.0.0.1", ctx.port, {}, 1, 2) end, true)
local hostport = P("127.0.0.1", ctx.port)
hostport.labels = { "ip", "port" }
positions("connect", connect, hostport,
          -- a host that is a number or a name would need a resolver in nginx
          function(i, class, label) return i == 2 or class == "t" or label == "''" end, true)
local opts = P("127.0.0.1", ctx.port, {})
opts.labels = { "ip", "port", "opts" }
positions("connect", connect, opts,
          function(i, class) return i == 3 and class == "t" end, true)
check("connect(unix)", function() return connect("unix:" .. ctx.path) end, true)
