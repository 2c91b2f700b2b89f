-- peer: none
-- ngx.re.match: the captures table ([0], numbered groups, false for groups
-- that took no part, names), nil without a match, and what the subject may be.
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
  { "hello world", "(\\w+) (\\w+)" },
  { "hello world", "(\\w+) (?<second>\\w+)(x)?" },
  { "hello", "x" },
  { "hello", "" },
  { "", "" },
  { "", "a?" },
  { "abc", "(a)|(b)" },
  { "abc", "(x)?(y)?c" },
  { "abc", "(?:a)(b)(?:c)" },
  { "aaa", "a*?" },
  { "aaa", "(a)+" },
  { "2024-01-31", "(?<y>\\d+)-(?<m>\\d+)-(?<d>\\d+)" },
  { "key = value", "^\\s*(\\w+)\\s*=\\s*(.*?)\\s*$" },
  { "a\0b\0c", "\\0(b)\\x00" },
  { "a\0b", "[^a]+" },
  { "line1\nline2", "line\\d$" },
  { "line1\nline2", "^line2" },
  { "tab\there", "\\t(\\w+)" },
  { "\255\254", "[\\x{fe}-\\x{ff}]+" },
  { "ab", "(a)(b)(c)?(d)?(e)?" },
  { string.rep("x", 300) .. "y", "x+(y)" },
  { "a.b", "a\\.b" },
  { "a+b", "\\Qa+b\\E" },
  { "aBc", "(?i)b" },
  { "abc", "(?=b)" },
  { "abc", "(?<=a)b" },
  { "abcabc", "(abc)\\1" },
  { "abab", "(?<x>ab)\\k<x>" },
}
for i, c in ipairs(cases) do
  run("match #" .. i, function() return pack(re.match(c[1], c[2])) end)
end

-- the subject goes through tostring()
run("nil subject", function() return pack(re.match(nil, "^nil$")) end)
run("number subject", function() return pack(re.match(12345, "3(4)")) end)
run("float subject", function() return pack(re.match(1.5, "\\.(5)")) end)
run("true subject", function() return pack(re.match(true, "ru")) end)
run("__tostring subject", function()
  return pack(re.match(setmetatable({}, { __tostring = function() return "meta" end }), "e(t)"))
end)
-- a fresh table per call
run("fresh tables", function()
  local a, b = re.match("ab", "a"), re.match("ab", "a")
  return pack(a == b, a[0], b[0])
end)
