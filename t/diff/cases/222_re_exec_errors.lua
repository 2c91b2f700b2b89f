-- peer: none
-- A match that fails inside PCRE (match limit, bad offset, bad UTF-8, DFA
-- workspace): nil, "pcre_exec() failed: N" from match and the iterator,
-- nil, nil, "pcre_exec() failed: N" from find, sub and gsub; never a raise.
-- N is PCRE's own code (masked: PCRE1's and PCRE2's differ).
local ctx = ...
local re, pack = ctx.ngx.re, ctx.pack
local lib = ctx.lib("re")
local run = lib.run
local evil = string.rep("a", 32) .. "!"
local evil_re = "^(\\w+\\s?)*$"
for _, o in ipairs({ "", "j", "o", "jo" }) do
  run("match limit " .. o, function() return pack(re.match(evil, evil_re, o)) end)
  run("find limit " .. o, function() return pack(re.find(evil, evil_re, o)) end)
  run("sub limit " .. o, function() return pack(re.sub(evil, evil_re, "x", o)) end)
  run("gsub limit " .. o, function() return pack(re.gsub(evil, evil_re, function() return "" end, o)) end)
  run("gmatch limit " .. o, function()
    local it = re.gmatch(evil, evil_re, o)
    return pack(it())
  end)
end
-- a later match after a failed one works
run("after limit", function()
  re.match(evil, evil_re)
  return pack(re.match("ab", "b"))
end)
-- the limit is per match: the iterator stops after the error
run("gmatch then limit", function()
  local it = re.gmatch("x" .. evil, "^x|(?<=x)(\\w+\\s?)*$")
  local a = pack(it())
  local b = pack(it())
  local c = pack(it())
  return pack(a[1], b[1], b[2], c.n, c[1])
end)
-- a start past the end of the subject
run("match pos past end", function() return pack(re.match("abc", "x?", nil, { pos = 5 })) end)
run("find pos past end", function() return pack(re.find("abc", "x?", nil, { pos = 5 })) end)
run("match pos just past end", function() return pack(re.match("abc", "x?", nil, { pos = 4 })) end)
-- bad UTF-8 with u
run("match u bad", function() return pack(re.match("\255abc", "a", "u")) end)
run("find u bad", function() return pack(re.find("a\192", "a", "u")) end)
run("gsub u bad", function() return pack(re.gsub("\237\160\128", "x", "", "u")) end)
run("gmatch u bad", function() return pack(re.gmatch("\255", ".", "u")()) end)
run("u good after bad", function() return pack(re.match("\195\169", ".", "u")) end)
-- an empty match stepping into a character with u
run("gsub u mid-character", function() return pack(re.gsub("\195\169", "", "-", "u")) end)
-- DFA's workspace (100 ints, as ngx_lua's)
run("DFA workspace", function()
  return pack(re.match(string.rep("a", 50), "(a|aa|aaa|aaaa|b)*", "d"))
end)
