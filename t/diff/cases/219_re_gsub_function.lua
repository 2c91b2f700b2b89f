-- peer: none
-- ngx.re.sub/gsub with a function: it gets a fresh captures table per match
-- and its first result goes through tostring(); no result at all is an
-- error; its own errors propagate; it may call ngx.re itself.
local ctx = ...
local re, pack = ctx.ngx.re, ctx.pack
local lib = ctx.lib("re")
local value, run = lib.value, lib.run
run("captures", function()
  local seen = {}
  local r, n = re.gsub("a1b2", "(?<l>[a-z])(\\d)(x)?", function(m)
    seen[#seen + 1] = value(m)
    return m.l .. "=" .. m[2]
  end)
  return pack(r, n, table.concat(seen, " "))
end)
run("fresh tables", function()
  local tables = {}
  re.gsub("abc", "\\w", function(m) tables[#tables + 1] = m return "" end)
  return pack(tables[1] ~= tables[2], tables[2] ~= tables[3])
end)
run("sub calls once", function()
  local calls = 0
  local r, n = re.sub("aaa", "a", function() calls = calls + 1 return "b" end)
  return pack(r, n, calls)
end)
run("no match no call", function()
  local calls = 0
  local r, n = re.gsub("aaa", "x", function() calls = calls + 1 return "b" end)
  return pack(r, n, calls)
end)
local results = {
  { "number", function() return 1 end },
  { "float", function() return 1.5 end },
  { "nil", function() return nil end },
  { "nothing", function() end },
  { "two values", function() return "x", "y" end },
  { "true", function() return true end },
  { "empty", function() return "" end },
  { "__tostring", function() return setmetatable({}, { __tostring = function() return "T" end }) end },
  { "table", function() return {} end },
  { "long", function() return string.rep("z", 1000) end },
}
for _, r in ipairs(results) do
  run("returns " .. r[1], function() return pack(re.gsub("ab", "\\w", r[2])) end)
end
run("error", function() return pack(re.gsub("ab", "b", function() error("boom") end)) end)
run("error table", function() return pack(re.gsub("ab", "b", function() error({}) end)) end)
run("empty matches", function()
  local pos = {}
  local r, n = re.gsub("abc", "x*", function(m) pos[#pos + 1] = m[0] return "-" end)
  return pack(r, n, #pos)
end)
-- ngx.re inside the replacement, also with the same cached regex
run("nested", function()
  return pack(re.gsub("a1 b2", "\\w\\d", function(m)
    return (re.gsub(m[0], "\\d", function(d) return "<" .. d[0] .. ">" end))
  end))
end)
run("nested same regex o", function()
  return pack(re.gsub("ab ab", "ab", function(m)
    local inner = re.match("xxab", "ab", "o")
    return m[0]:upper() .. inner[0]
  end, "o"))
end)
run("nested same regex o, gsub", function()
  return pack(re.gsub("ab-ab", "b", function()
    return (re.gsub("bbb", "b", "c", "o"))
  end, "o"))
end)
