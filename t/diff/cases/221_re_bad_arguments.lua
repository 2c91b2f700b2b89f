-- peer: none
-- Arguments of the wrong type: lua-resty-core's ngx.re raises Lua's own
-- errors ("attempt to get length of local 'regex' (a nil value)"); the
-- native ngx.re raises the same words from C (positions stripped).
local ctx = ...
local re, pack = ctx.ngx.re, ctx.pack
local lib = ctx.lib("re")
local run = lib.run
local values = { { "nil", nil }, { "true", true }, { "false", false }, { "5", 5 },
                 { "{}", {} }, { "{1}", { 1 } }, { "print", print },
                 { "thread", coroutine.create(function() end) } }
for _, v in ipairs(values) do
  local x = v[2]
  run("match(s, " .. v[1] .. ")", function() return pack(re.match("a5", x)) end)
  run("match(s, " .. v[1] .. ", 'o')", function() return pack(re.match("a5", x, "o")) end)
  run("find(s, " .. v[1] .. ")", function() return pack(re.find("a5", x)) end)
  run("gmatch(s, " .. v[1] .. ")", function() return pack(re.gmatch("a5", x)) end)
  run("gmatch(s, " .. v[1] .. ", 'o')", function() return pack(re.gmatch("a5", x, "o")) end)
  run("sub(s, " .. v[1] .. ")", function() return pack(re.sub("a5", x, "")) end)
  run("gsub(s, " .. v[1] .. ", r, 'o')", function() return pack(re.gsub("a5", x, "", "o")) end)
  run("match opts " .. v[1], function() return pack(re.match("a5", "a", x)) end)
  run("find opts " .. v[1], function() return pack(re.find("a5", "a", x)) end)
  run("gmatch opts " .. v[1], function() return pack(re.gmatch("a5", "a", x)) end)
  run("sub opts " .. v[1], function() return pack(re.sub("a5", "a", "", x)) end)
end
run("match()", function() return pack(re.match()) end)
run("find()", function() return pack(re.find()) end)
run("gmatch()", function() return pack(re.gmatch()) end)
run("sub()", function() return pack(re.sub()) end)
run("gsub()", function() return pack(re.gsub()) end)
run("match(s)", function() return pack(re.match("a")) end)
run("sub(s, r)", function() return pack(re.sub("a", "a")) end)
run("gsub(s, r)", function() return pack(re.gsub("a", "a")) end)
run("extra arguments", function() return pack(re.match("a", "a", nil, nil, nil, 1, 2)) end)
run("gsub extra arguments", function() return pack(re.gsub("a", "a", "b", nil, 1, 2)) end)
-- the options are read before the regex
run("bad opts and regex", function() return pack(re.match("a", nil, "Z")) end)
run("bad opts type and regex", function() return pack(re.match("a", nil, 5)) end)
