-- peer: none
-- Large subjects and many matches: results by length and checksum.
local ctx = ...
local re, pack = ctx.ngx.re, ctx.pack
local lib = ctx.lib("re")
local run = lib.run
local big = string.rep("lorem ipsum dolor sit amet, ", 40000)
run("gsub words", function()
  local r, n = re.gsub(big, "\\w+", "W")
  return pack(#r, n, r:sub(1, 30))
end)
run("gsub words jo", function()
  local r, n = re.gsub(big, "\\w+", "W", "jo")
  return pack(#r, n)
end)
run("gsub function", function()
  local r, n = re.gsub(big, "(\\w)(\\w*)", function(m) return m[2] .. m[1] end, "jo")
  return pack(r, n)
end)
run("gsub template", function() return pack(re.gsub(big, "(\\w)(\\w*)", "$2$1ay", "j")) end)
run("gsub empty", function()
  local r, n = re.gsub(string.rep("ab", 20000), "", "")
  return pack(#r, n)
end)
run("gmatch count", function()
  local n = 0
  for _ in re.gmatch(big, "o", "jo") do n = n + 1 end
  return pack(n)
end)
run("match at end", function() return pack(re.find(big .. "END", "END$")) end)
run("match ctx far", function()
  local c = { pos = #big - 5 }
  return pack(re.match(big, "\\w+", nil, c), c.pos)
end)
run("long pattern", function()
  local alts = {}
  for i = 1, 2000 do alts[i] = "w" .. i end
  local pat = "\\b(?:" .. table.concat(alts, "|") .. ")\\b"
  return pack(re.gsub("w1 w2000 w2001 w999", pat, "#"))
end)
run("many groups", function()
  local pat = string.rep("(a)", 200)
  local m = re.match(string.rep("a", 200), pat)
  return pack(#m, m[200], m[201])
end)
run("long match", function()
  local m = re.match(big, "^(?:[a-z ,]+)$")
  return pack(#m[0])
end)
