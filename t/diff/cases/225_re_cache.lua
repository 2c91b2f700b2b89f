-- peer: none
-- The o option: compiled regexes kept per Lua state; many distinct ones,
-- each used several times, mixed with o-less calls, give the same answers.
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
run("many", function()
  local ok = 0
  for round = 1, 3 do
    for i = 1, 300 do
      local m = re.match("x" .. i .. "y", "x(" .. i .. ")y", round == 2 and "o" or "jo")
      if m and m[1] == tostring(i) then ok = ok + 1 end
    end
  end
  return pack(ok)
end)
run("same pattern, other options", function()
  return pack(re.match("AbA", "a", "o"), re.match("AbA", "a", "io")[0],
              re.match("bA", "a", "oi")[0], re.match("bA", "a", "o"))
end)
run("o and d", function()
  return pack(re.match("aaa", "a|aa|aaa", "o")[0], re.match("aaa", "a|aa|aaa", "do")[0],
              re.match("aaa", "a|aa|aaa", "od")[0], re.match("aaa", "a|aa|aaa", "o")[0])
end)
run("o and D", function()
  return pack(re.match("ab", "(?J)(?<x>a)(?<x>b)", "o"), re.match("ab", "(?J)(?<x>a)(?<x>b)", "Do"))
end)
run("sub o", function()
  local out = {}
  for i = 1, 3 do
    out[#out + 1] = (re.gsub("a-b", "-", "[" .. i .. "]", "o"))
    out[#out + 1] = (re.gsub("a-b", "-", function() return i end, "o"))
  end
  return pack(table.concat(out, " "))
end)
run("gmatch o", function()
  local a = re.gmatch("abc", "\\w", "o")
  local b = re.gmatch("xyz", "\\w", "o")
  return pack(a()[0], b()[0], a()[0], b()[0])
end)
run("find o ctx", function()
  local c, out = {}, {}
  for _ = 1, 3 do out[#out + 1] = tostring((re.find("a1a2a3", "a\\d", "jo", c))) end
  return pack(table.concat(out, ","), c.pos)
end)
run("bad regex o twice", function()
  return pack(re.match("a", "(", "o"), select(2, re.match("a", "(", "o")) ~= nil)
end)
