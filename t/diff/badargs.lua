-- The table-driven bad-argument cases (cases/200-206) share this: a set of
-- wrong values, and runners that call a function with each of them in each
-- argument position and print the values or the error the same way on
-- both sides. Loaded by a case with ctx.lib("badargs").
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

return { P = P, say = say, fmt = fmt, unpack = unpack, native = native, V = V,
         check = check, positions = positions, method = method }
