-- peer: none
-- Bad arguments, table-driven (200-206 share this preamble): every wrong
-- type, count and range of connect and bind. A table as self is left out:
-- ngx_lua takes any table for a socket (FACTS.md).
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
-- One method: m.call(...) is s:name(...), m.field(...) s.name(...); m.args
-- its valid arguments (pack'd), m.min and m.max how many it takes. Prints
-- too few and too many arguments, every wrong self but a table (unless
-- m.selves is false; none without m.field), then the positions (m.pick,
-- m.strip).
local function method(m)
  if m.field then
    check("s." .. m.name .. "()", function() return m.field() end, m.strip)
  end
  for k = 0, m.min - 1 do
    check(m.name .. "(" .. k .. " args)", function() return m.call(unpack(m.args, 1, k)) end,
          m.strip)
  end
  local more = { unpack(m.args, 1, m.args.n) }
  for k = m.args.n + 1, m.max + 1 do more[k] = 1 end
  check(m.name .. "(" .. (m.max + 1) .. " args)",
        function() return m.call(unpack(more, 1, m.max + 1)) end, m.strip)
  if m.field and m.selves ~= false then
    for _, v in ipairs(V) do
      if v[1] ~= "{}" then
        check("s." .. m.name .. "(" .. v[1] .. ", ...)",
              function() return m.field(v[2], unpack(m.args, 1, m.args.n)) end, m.strip)
      end
    end
  end
  positions(m.name, m.call, m.args, m.pick, m.strip)
end

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
