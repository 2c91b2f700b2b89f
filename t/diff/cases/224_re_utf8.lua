-- peer: none
-- UTF-8: with u (and U) a character is one match unit; without, a byte.
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
