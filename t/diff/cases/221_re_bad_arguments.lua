-- peer: none
-- Arguments of the wrong type: lua-resty-core's ngx.re raises Lua's own
-- errors ("attempt to get length of local 'regex' (a nil value)"); the
-- native ngx.re raises the same words from C (positions stripped).
local ctx = ...
local re, fmt, say, pack = ctx.ngx.re, ctx.fmt, ctx.say, ctx.pack
-- Captures tables print with their keys sorted (numbers first). PCRE's own
-- words and error codes are masked: Debian's nginx runs PCRE1, we run PCRE2
-- (spec/re_spec.lua checks our exact strings). Raised errors lose their
-- position (ours come from C, lua-resty-core's from its Lua lines).
-- Iterators (callable tables, and so lua-resty-core's) print as such.
local function value(v)
  if type(v) == "string" then
    v = v:gsub("^pcre2?_compile%(%) failed: .*", "pcre_compile() failed: ...")
         :gsub("^pcre_exec%(%) failed: %-%d+$", "pcre_exec() failed: N")
         :gsub("table: 0x%x+", "table: ADDR")
    return fmt(v)
  elseif type(v) ~= "table" then
    return fmt(v)
  elseif getmetatable(v) then
    return "iterator"
  end
  local keys, out = {}, {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    if type(a) ~= type(b) then return type(a) == "number" end
    return a < b
  end)
  for i, k in ipairs(keys) do out[i] = fmt(k) .. "=" .. value(v[k]) end
  return "{" .. table.concat(out, " ") .. "}"
end
-- run(label, f): f returns pack(call); prints the values or the error
local function run(label, f)
  local ok, res = pcall(f)
  if not ok then
    res = tostring(res):gsub("^[^:]*:%d+: ", ""):gsub("0x%x+", "ADDR")
    return say(label, ": ERR ", res)
  end
  local out = {}
  for i = 1, res.n do out[i] = value(res[i]) end
  say(label, ": ", res.n == 0 and "(nothing)" or table.concat(out, ", "))
end
local values = { { "nil", nil }, { "true", true }, { "false", false }, { "5", 5 },
                 { "{}", {} }, { "{1}", { 1 } }, { "print", print },
                 { "thread", coroutine.create(function() end) } }
for _, v in ipairs(values) do
  local x = v[2]
  run("match(s, " .. v[1] .. ")", function() return pack(re.match("a5", x)) end)
  run("match(s, " .. v[1] .. ", 'o')", function() return pack(re.match("a5", x, "o")) end)
  run("find(s, " .. v[1] .. ")", function() return pack(re.find("a5", x)) end)
  run("gmatch(s, " .. v[1] .. ")", function() return pack(re.gmatch("a5", x)) end)
  run("gmatch(s, " .. v[1] .. ", 'o')", function() return pack(re.gmatch("a5", x, "o")) end)
  run("sub(s, " .. v[1] .. ")", function() return pack(re.sub("a5", x, "")) end)
  run("gsub(s, " .. v[1] .. ", r, 'o')", function() return pack(re.gsub("a5", x, "", "o")) end)
  run("match opts " .. v[1], function() return pack(re.match("a5", "a", x)) end)
  run("find opts " .. v[1], function() return pack(re.find("a5", "a", x)) end)
  run("gmatch opts " .. v[1], function() return pack(re.gmatch("a5", "a", x)) end)
  run("sub opts " .. v[1], function() return pack(re.sub("a5", "a", "", x)) end)
end
run("match()", function() return pack(re.match()) end)
run("find()", function() return pack(re.find()) end)
run("gmatch()", function() return pack(re.gmatch()) end)
run("sub()", function() return pack(re.sub()) end)
run("gsub()", function() return pack(re.gsub()) end)
run("match(s)", function() return pack(re.match("a")) end)
run("sub(s, r)", function() return pack(re.sub("a", "a")) end)
run("gsub(s, r)", function() return pack(re.gsub("a", "a")) end)
run("extra arguments", function() return pack(re.match("a", "a", nil, nil, nil, 1, 2)) end)
run("gsub extra arguments", function() return pack(re.gsub("a", "a", "b", nil, 1, 2)) end)
-- the options are read before the regex
run("bad opts and regex", function() return pack(re.match("a", nil, "Z")) end)
run("bad opts type and regex", function() return pack(re.match("a", nil, 5)) end)
