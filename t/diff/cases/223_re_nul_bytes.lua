-- peer: none
-- NUL bytes in subjects, templates, replacement results and escaped in
-- patterns (a raw NUL in a pattern is spec/re_spec.lua's: PCRE1 stops there).
local ctx = ...
local re, pack = ctx.ngx.re, ctx.pack
local lib = ctx.lib("re")
local run = lib.run
local s = "a\0b\0\0c"
run("match NUL", function() return pack(re.match(s, "\\0+")) end)
run("match after NUL", function() return pack(re.match(s, "c")) end)
run("match groups", function() return pack(re.match(s, "(b)(\\x00+)(c)")) end)
run("find NULs", function() return pack(re.find(s, "\\x00\\x00")) end)
run("dot NUL", function() return pack(re.match("\0", ".")) end)
run("class NUL", function() return pack(re.match("x\0y", "[^xy]")) end)
run("gmatch NUL", function()
  local out = {}
  for m in re.gmatch(s, "[^\\0]") do out[#out + 1] = m[0] end
  return pack(table.concat(out, ","))
end)
run("gsub NUL", function() return pack(re.gsub(s, "\\0", "<0>")) end)
run("gsub to NUL", function() return pack(re.gsub("a,b", ",", "\0")) end)
run("template NUL", function() return pack(re.gsub("ab", "(a)", "$1\0$1")) end)
run("function NUL", function() return pack(re.gsub("ab", "a", function() return "\0\0" end)) end)
run("named NUL", function() return pack(re.match("x\0", "(?<z>\\0)")) end)
run("subject only NUL", function() return pack(re.gsub("\0\0\0", "", "-")) end)
run("ctx over NUL", function()
  local c = { pos = 3 }
  return pack(re.match(s, "\\0", nil, c), c.pos)
end)
run("long with NULs", function()
  local big = string.rep("ab\0", 1000)
  local r, n = re.gsub(big, "b\\0", "B")
  return pack(#r, n, r:sub(1, 9))
end)
