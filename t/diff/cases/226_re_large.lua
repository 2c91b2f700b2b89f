-- peer: none
-- Large subjects and many matches: results by length and checksum.
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
local big = string.rep("lorem ipsum dolor sit amet, ", 40000)
run("gsub words", function()
  local r, n = re.gsub(big, "\\w+", "W")
  return pack(#r, n, r:sub(1, 30))
end)
run("gsub words jo", function()
  local r, n = re.gsub(big, "\\w+", "W", "jo")
  return pack(#r, n)
end)
run("gsub function", function()
  local r, n = re.gsub(big, "(\\w)(\\w*)", function(m) return m[2] .. m[1] end, "jo")
  return pack(r, n)
end)
run("gsub template", function() return pack(re.gsub(big, "(\\w)(\\w*)", "$2$1ay", "j")) end)
run("gsub empty", function()
  local r, n = re.gsub(string.rep("ab", 20000), "", "")
  return pack(#r, n)
end)
run("gmatch count", function()
  local n = 0
  for _ in re.gmatch(big, "o", "jo") do n = n + 1 end
  return pack(n)
end)
run("match at end", function() return pack(re.find(big .. "END", "END$")) end)
run("match ctx far", function()
  local c = { pos = #big - 5 }
  return pack(re.match(big, "\\w+", nil, c), c.pos)
end)
run("long pattern", function()
  local alts = {}
  for i = 1, 2000 do alts[i] = "w" .. i end
  local pat = "\\b(?:" .. table.concat(alts, "|") .. ")\\b"
  return pack(re.gsub("w1 w2000 w2001 w999", pat, "#"))
end)
run("many groups", function()
  local pat = string.rep("(a)", 200)
  local m = re.match(string.rep("a", 200), pat)
  return pack(#m, m[200], m[201])
end)
run("long match", function()
  local m = re.match(big, "^(?:[a-z ,]+)$")
  return pack(#m[0])
end)
