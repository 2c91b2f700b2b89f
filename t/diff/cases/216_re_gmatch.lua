-- peer: none
-- ngx.re.gmatch: an iterator (a callable object) over the captures tables
-- of successive matches; an empty match moves on by one byte; nil when done
-- (and on every call after); nil, err for an exec error.
local ctx = ...
local re, pack = ctx.ngx.re, ctx.pack
local lib = ctx.lib("re")
local value, run = lib.value, lib.run
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
