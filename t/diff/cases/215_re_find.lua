-- peer: none
-- ngx.re.find: from and to (1-based, inclusive) of the match or of group
-- nth; nil without a match; nil, nil for a group that took no part;
-- nil, nil, "nth out of bound" past the last group.
local ctx = ...
local re, fmt, pack = ctx.ngx.re, ctx.fmt, ctx.pack
local lib = ctx.lib("re")
local run = lib.run
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
