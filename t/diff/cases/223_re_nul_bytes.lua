-- peer: none
-- NUL bytes in subjects, templates, replacement results and escaped in
-- patterns (a raw NUL in a pattern is spec/re_spec.lua's: PCRE1 stops there).
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
local s = "a\0b\0\0c"
run("match NUL", function() return pack(re.match(s, "\\0+")) end)
run("match after NUL", function() return pack(re.match(s, "c")) end)
run("match groups", function() return pack(re.match(s, "(b)(\\x00+)(c)")) end)
run("find NULs", function() return pack(re.find(s, "\\x00\\x00")) end)
run("dot NUL", function() return pack(re.match("\0", ".")) end)
run("class NUL", function() return pack(re.match("x\0y", "[^xy]")) end)
run("gmatch NUL", function()
  local out = {}
  for m in re.gmatch(s, "[^\\0]") do out[#out + 1] = m[0] end
  return pack(table.concat(out, ","))
end)
run("gsub NUL", function() return pack(re.gsub(s, "\\0", "<0>")) end)
run("gsub to NUL", function() return pack(re.gsub("a,b", ",", "\0")) end)
run("template NUL", function() return pack(re.gsub("ab", "(a)", "$1\0$1")) end)
run("function NUL", function() return pack(re.gsub("ab", "a", function() return "\0\0" end)) end)
run("named NUL", function() return pack(re.match("x\0", "(?<z>\\0)")) end)
run("subject only NUL", function() return pack(re.gsub("\0\0\0", "", "-")) end)
run("ctx over NUL", function()
  local c = { pos = 3 }
  return pack(re.match(s, "\\0", nil, c), c.pos)
end)
run("long with NULs", function()
  local big = string.rep("ab\0", 1000)
  local r, n = re.gsub(big, "b\\0", "B")
  return pack(#r, n, r:sub(1, 9))
end)
