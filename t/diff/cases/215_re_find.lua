-- peer: none
-- ngx.re.find: from and to (1-based, inclusive) of the match or of group
-- nth; nil without a match; nil, nil for a group that took no part;
-- nil, nil, "nth out of bound" past the last group.
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
  { "hello, 1234", "[0-9]+" },
  { "hello", "x" },
  { "hello", "" },
  { "", "" },
  { "hello", "o$" },
  { "hello", "l+" },
  { "a\nb", "^b", "m" },
  { "ABC", "b", "i" },
  { "xabcabc", "a.*c|a", "d" },
}
for i, c in ipairs(cases) do
  run("find #" .. i, function() return pack(re.find(c[1], c[2], c[3])) end)
end
-- nth: group numbers, fractions, negatives, too large, not numbers
local nths = { "nil", 0, 1, 2, 3, 4, -1, -0.5, 0.5, 1.5, 2.5, 3.5, 2^40,
               math.huge, -math.huge, false }
for _, n in ipairs(nths) do
  local nth = n ~= "nil" and n or nil
  run("nth " .. fmt(n), function() return pack(re.find("xabz", "(a)(b)(c)?", nil, nil, nth)) end)
  run("nth " .. fmt(n) .. " no groups", function() return pack(re.find("xab", "ab", nil, nil, nth)) end)
end
run("nth '1'", function() return pack(re.find("xab", "(a)", nil, nil, "1")) end)
run("nth {}", function() return pack(re.find("xab", "(a)", nil, nil, {})) end)
run("nth true", function() return pack(re.find("xab", "(a)", nil, nil, true)) end)
run("nth '1' no match", function() return pack(re.find("xab", "(q)", nil, nil, "1")) end)
run("nth alternation", function() return pack(re.find("b", "(a)|(b)", nil, nil, 2)) end)
run("nth alternation unset", function() return pack(re.find("b", "(a)|(b)", nil, nil, 1)) end)
run("nth empty group", function() return pack(re.find("ab", "a()b", nil, nil, 1)) end)
run("nth DFA", function() return pack(re.find("aaa", "(a+)", "d", nil, 1)) end)
-- with ctx
run("ctx", function()
  local c, out = { pos = 1 }, {}
  for _ = 1, 4 do
    local from, to = re.find("a1b22c333", "\\d+", nil, c)
    out[#out + 1] = tostring(from) .. "-" .. tostring(to) .. "@" .. tostring(c.pos)
  end
  return pack(table.concat(out, " "))
end)
run("ctx nth", function()
  local c = { pos = 3 }
  return pack(re.find("k=v;k2=v2", "(\\w+)=(\\w+)", nil, c, 2), c.pos)
end)
run("ctx nth out of bound", function()
  local c = { pos = 1 }
  return pack(re.find("k=v", "(\\w+)=(\\w+)", nil, c, 3), c.pos)
end)
