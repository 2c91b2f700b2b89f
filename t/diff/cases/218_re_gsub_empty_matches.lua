-- peer: none
-- ngx.re.sub/gsub: the count, the unmatched subject returned as it is, and
-- empty matches: the search moves on one byte and that byte is copied.
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
