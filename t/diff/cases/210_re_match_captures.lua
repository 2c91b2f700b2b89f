-- peer: none
-- ngx.re.match: the captures table ([0], numbered groups, false for groups
-- that took no part, names), nil without a match, and what the subject may be.
local ctx = ...
local re, pack = ctx.ngx.re, ctx.pack
local lib = ctx.lib("re")
local run = lib.run
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
