-- peer: none
-- ngx.re.sub/gsub: the count, the unmatched subject returned as it is, and
-- empty matches: the search moves on one byte and that byte is copied.
local ctx = ...
local re, pack = ctx.ngx.re, ctx.pack
local lib = ctx.lib("re")
local run = lib.run
local cases = {
  { "abc", "", "-" },
  { "abc", "x*", "-" },
  { "abc", "b*", "-" },
  { "abc", "b*?", "-" },
  { "", "", "-" },
  { "", "x", "-" },
  { "abc", "x", "-" },
  { "aaa", "a", "" },
  { "aaa", "a*", "-" },
  { "aaa", "^", "-" },
  { "aaa", "$", "-" },
  { "a\nb\n", "$", "-", "m" },
  { "a\nb\n", "^", "-", "m" },
  { "aab", "a", "-", "a" },
  { "baa", "a", "-", "a" },
  { "aab", "^a", "-" },
  { "hello world", "o", "0" },
  { "hello world", "(?=o)", "|" },
  { "hello world", "\\b", "|" },
  { "a,b,,c", "[^,]*", "<$0>" },
  { "abcabc", "a.*c|a", "#", "d" },
  { "ABab", "a", "x", "i" },
  { "ABab", "a", "x", "io" },
  { "ABab", "a", "x", "ijo" },
  { "\228\184\173\228\184\173", "", "-", "u" },
  { "\228\184\173x", "\\x{4e2d}", "[$0]", "u" },
}
for i, c in ipairs(cases) do
  run("sub #" .. i, function() return pack(re.sub(c[1], c[2], c[3], c[4])) end)
  run("gsub #" .. i, function() return pack(re.gsub(c[1], c[2], c[3], c[4])) end)
end
run("number subject", function() return pack(re.gsub(12321, "2", "x")) end)
run("nil subject", function() return pack(re.gsub(nil, "l", "L")) end)
run("unchanged is the subject", function()
  local s = "abc"
  local r = re.gsub(s, "x", "y")
  return pack(r == s, re.gsub(5, "x", "y"))
end)
