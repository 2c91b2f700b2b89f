-- peer: none
-- A regex that does not compile: match and gmatch give nil, err; find, sub
-- and gsub nil, nil, err (the text is PCRE's, masked: see the header).
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
local bad = { "(", ")", "a)b", "[a", "a{2,1}", "\\", "*a", "a**", "(?<n>a)(?<n>b)",
              "(?P<1>a)", "(?<=a+)b", "\\k<nope>", "(?", "[z-a]", "\\1(a)x(", "a(?#" }
for _, p in ipairs(bad) do
  run("match " .. fmt(p), function() return pack(re.match("abc", p)) end)
  run("find " .. fmt(p), function() return pack(re.find("abc", p)) end)
  run("gmatch " .. fmt(p), function() return pack(re.gmatch("abc", p)) end)
  run("sub " .. fmt(p), function() return pack(re.sub("abc", p, "x")) end)
  run("gsub " .. fmt(p), function() return pack(re.gsub("abc", p, function() return "" end)) end)
end
-- with o, j, d: still an error, every time (nothing is cached)
for _, o in ipairs({ "o", "jo", "d", "D", "x", "u" }) do
  run("match ( " .. o, function() return pack(re.match("abc", "(", o)) end)
  run("match ( " .. o .. " again", function() return pack(re.match("abc", "(", o)) end)
end
-- a bad regex is reported before a bad template
run("bad regex and template", function() return pack(re.sub("abc", "(", "$")) end)
-- and before a bad ctx, res or nth
run("bad regex, bad ctx", function() return pack(re.match("abc", "(", nil, 5)) end)
run("bad regex, bad res", function() return pack(re.match("abc", "(", nil, nil, 5)) end)
run("bad regex, bad nth", function() return pack(re.find("abc", "(", nil, nil, "x")) end)
-- the message starts as ngx_lua's does
run("prefix", function()
  local _, err = re.match("abc", "(")
  return pack(err:match("^pcre2?_compile%(%) failed: ") ~= nil, err:find('in "("', 1, true) ~= nil)
end)
