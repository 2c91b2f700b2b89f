-- peer: none
-- The o option: compiled regexes kept per Lua state; many distinct ones,
-- each used several times, mixed with o-less calls, give the same answers.
local ctx = ...
local re, pack = ctx.ngx.re, ctx.pack
local lib = ctx.lib("re")
local run = lib.run
run("many", function()
  local ok = 0
  for round = 1, 3 do
    for i = 1, 300 do
      local m = re.match("x" .. i .. "y", "x(" .. i .. ")y", round == 2 and "o" or "jo")
      if m and m[1] == tostring(i) then ok = ok + 1 end
    end
  end
  return pack(ok)
end)
run("same pattern, other options", function()
  return pack(re.match("AbA", "a", "o"), re.match("AbA", "a", "io")[0],
              re.match("bA", "a", "oi")[0], re.match("bA", "a", "o"))
end)
run("o and d", function()
  return pack(re.match("aaa", "a|aa|aaa", "o")[0], re.match("aaa", "a|aa|aaa", "do")[0],
              re.match("aaa", "a|aa|aaa", "od")[0], re.match("aaa", "a|aa|aaa", "o")[0])
end)
run("o and D", function()
  return pack(re.match("ab", "(?J)(?<x>a)(?<x>b)", "o"), re.match("ab", "(?J)(?<x>a)(?<x>b)", "Do"))
end)
run("sub o", function()
  local out = {}
  for i = 1, 3 do
    out[#out + 1] = (re.gsub("a-b", "-", "[" .. i .. "]", "o"))
    out[#out + 1] = (re.gsub("a-b", "-", function() return i end, "o"))
  end
  return pack(table.concat(out, " "))
end)
run("gmatch o", function()
  local a = re.gmatch("abc", "\\w", "o")
  local b = re.gmatch("xyz", "\\w", "o")
  return pack(a()[0], b()[0], a()[0], b()[0])
end)
run("find o ctx", function()
  local c, out = {}, {}
  for _ = 1, 3 do out[#out + 1] = tostring((re.find("a1a2a3", "a\\d", "jo", c))) end
  return pack(table.concat(out, ","), c.pos)
end)
run("bad regex o twice", function()
  return pack(re.match("a", "(", "o"), select(2, re.match("a", "(", "o")) ~= nil)
end)
