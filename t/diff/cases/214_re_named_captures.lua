-- peer: none
-- Named groups: by name as well as by number; with D a name may repeat and
-- gives an array of the groups that matched; without D, (?J) and (?|...)
-- let a name repeat and the last group's value wins, false included.
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
local cases = {
  { "ab", "(?<x>a)(?<y>b)" },
  { "ab", "(?<x>a)(?<y>c)?" },
  { "ab", "(?P<x>a)(?'y'b)" },
  { "ab", "(?<x>a)(?<x>b)", "D" },
  { "ab", "(?<x>a)(?<x>c)?", "D" },
  { "b", "(?<x>a)|(?<x>b)", "D" },
  { "xyz", "(?<a>x)(?<b>y)(?<a>z)", "D" },
  { "xyz", "(?<b>x)(?<a>y)(?<b>z)(?<a>q)?", "D" },
  { "a", "(?J)(?<x>a)|(?<x>b)" },
  { "b", "(?J)(?<x>a)|(?<x>b)" },
  { "a", "(?J)(?<x>a)|(?<x>b)", "D" },
  { "b", "(?|(?<x>a)|(?<x>b))" },
  { "a", "(?|(?<x>a)|(?<x>b))", "D" },
  { "ab", "(?<x>a)(?<x>b)" },
  { "ab", "(?<_x1>a)(?<Long_Name_2>b)" },
  { "abc", "(?<n>a)(b)(?<m>c)" },
  { "abc", "(?<n>a)(b)(?<m>c)", "d" },
  { "abc", "(?<n>a)(b)(?<m>c)", "dD" },
}
for i, c in ipairs(cases) do
  run("match #" .. i .. " " .. (c[3] or ""), function() return pack(re.match(c[1], c[2], c[3])) end)
  run("gmatch #" .. i .. " " .. (c[3] or ""), function()
    local it, err = re.gmatch(c[1], c[2], c[3])
    if not it then return pack(it, err) end
    return pack(it())
  end)
end
