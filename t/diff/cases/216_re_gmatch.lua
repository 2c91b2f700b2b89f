-- peer: none
-- ngx.re.gmatch: an iterator (a callable object) over the captures tables
-- of successive matches; an empty match moves on by one byte; nil when done
-- (and on every call after); nil, err for an exec error.
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
-- all the iterator gives, up to 12 calls, each call's values
local function all(subj, regex, opts)
  return function()
    local it, err = re.gmatch(subj, regex, opts)
    if not it then return pack(it, err) end
    local out = {}
    for i = 1, 12 do
      local r = pack(it())
      local parts = {}
      for j = 1, r.n do parts[j] = value(r[j]) end
      out[i] = "[" .. table.concat(parts, ", ") .. "]"
      if r[1] == nil then break end
    end
    return pack(table.concat(out, " "))
  end
end
local cases = {
  { "hello world", "\\w+" },
  { "hello world", "(\\w)(\\w+)" },
  { "abc", "" },
  { "abc", "b*" },
  { "abc", "x*" },
  { "", "" },
  { "", "x" },
  { "abc", "x" },
  { "aaa", "a" },
  { "aaa", "a*" },
  { "aaa", "a*?" },
  { "a1b2c3", "(?<l>[a-z])(?<d>\\d)" },
  { "a1b2c3", "(?<l>[a-z])(?<d>x)?" },
  { "a,b,,c", "[^,]*" },
  { "one\ntwo\nthree", "^\\w+$", "m" },
  { "ABab", "a", "i" },
  { "aaa", "a+", "d" },
  { "abcabc", "(abc)", "o" },
  { "abcabc", "(abc)", "jo" },
  { "\228\184\173x\228\184\173", ".", "u" },
  { "x\0y\0", "[^\\0]" },
  { "abab", "(?=ab)" },
  { "xyz", "\\G." },
  { "xyz", "(" },
  { "xab", "a", "a" },
}
for i, c in ipairs(cases) do
  run("gmatch #" .. i, all(c[1], c[2], c[3]))
end
run("type", function() return pack(type(re.gmatch("a", "a"))) end)
run("for loop", function()
  local out = {}
  for m in re.gmatch("k1=v1, k2=v2", "(\\w+)=(\\w+)") do
    out[#out + 1] = m[1] .. ":" .. m[2]
  end
  return pack(table.concat(out, " "))
end)
run("extra arguments ignored", function()
  local it = re.gmatch("ab", "\\w")
  return pack(it(1, 2, 3), it("x"), it())
end)
run("two iterators", function()
  local a, b = re.gmatch("abc", "\\w"), re.gmatch("abc", "\\w")
  return pack(a()[0], b()[0], a()[0], a()[0], b()[0])
end)
run("subject converted once", function()
  local it = re.gmatch(12321, "2")
  return pack(it(), it(), it())
end)
-- an empty match inside a UTF-8 character with u: PCRE refuses the offset
run("u mid-character", all("\228\184\173x", "", "u"))
