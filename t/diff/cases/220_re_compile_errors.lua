-- peer: none
-- A regex that does not compile: match and gmatch give nil, err; find, sub
-- and gsub nil, nil, err (the text is PCRE's, masked: see the header).
local ctx = ...
local re, fmt, pack = ctx.ngx.re, ctx.fmt, ctx.pack
local lib = ctx.lib("re")
local run = lib.run
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
