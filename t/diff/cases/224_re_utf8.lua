-- peer: none
-- UTF-8: with u (and U) a character is one match unit; without, a byte.
local ctx = ...
local re, pack = ctx.ngx.re, ctx.pack
local lib = ctx.lib("re")
local run = lib.run
local s = "h\195\169llo w\195\182rld \228\184\173\230\150\135"
local cases = {
  { ".", nil }, { ".", "u" }, { ".", "U" },
  { "\\w+", "u" }, { "\\w+", nil },
  { "[\195\169\195\182]", "u" }, { "[\195\169\195\182]", nil },
  { "\\x{e9}", "u" }, { "\\x{4e2d}\\x{6587}", "u" },
  { "(.)(.)$", "u" }, { "(.)(.)$", nil },
  { "W\195\150RLD", "iu" }, { "W\195\150RLD", "i" },
  { "\\p{Han}+", "u" }, { "\\p{L}+$", "u" },
  { "\\X", "u" },
}
for i, c in ipairs(cases) do
  run("match #" .. i .. " " .. tostring(c[2]), function() return pack(re.match(s, c[1], c[2])) end)
  run("find #" .. i .. " " .. tostring(c[2]), function() return pack(re.find(s, c[1], c[2])) end)
  run("gsub #" .. i .. " " .. tostring(c[2]), function() return pack(re.gsub(s, c[1], "<$0>", c[2])) end)
end
run("gmatch chars", function()
  local out = {}
  for m in re.gmatch("a\195\169\228\184\173", ".", "u") do out[#out + 1] = #m[0] end
  return pack(table.concat(out, ","))
end)
run("ctx in chars", function()
  local c = { pos = 2 }
  return pack(re.match("\195\169x\195\169", ".", "u", c), c.pos)
end)
run("bad pattern", function() return pack(re.match("a", "\255", "u")) end)
run("bad pattern U", function() return pack(re.match("a", "\255", "U")) end)
run("bad pattern bytes", function() return pack(re.match("\255", "\255")) end)
