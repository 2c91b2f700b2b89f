-- peer: none
-- ngx.re.match's res_table: filled in place and returned; keys beyond the
-- groups are left as they were; named arrays (D) are appended to.
local ctx = ...
local re, pack = ctx.ngx.re, ctx.pack
local lib = ctx.lib("re")
local run = lib.run
run("reuse", function()
  local t = { 9, 8, 7, 6, foo = "bar" }
  local m = re.match("ab", "(a)", nil, nil, t)
  return pack(m == t, t)
end)
run("reuse twice", function()
  local t = {}
  re.match("abc", "(a)(b)(c)", nil, nil, t)
  local m = re.match("xy", "(x)", nil, nil, t)
  return pack(m == t, t)
end)
run("reuse no match", function()
  local t = { 1 }
  return pack(re.match("ab", "x", nil, nil, t), t)
end)
run("reuse names", function()
  local t = { name = "old" }
  re.match("ab", "(?<name>a)|(?<other>b)", nil, nil, t)
  return pack(t)
end)
run("reuse D appends", function()
  local t = { x = { "q" } }
  local m = re.match("ab", "(?<x>a)(?<x>b)", "D", nil, t)
  return pack(m == t, t)
end)
run("reuse D twice", function()
  local t = {}
  re.match("ab", "(?<x>a)(?<x>b)", "D", nil, t)
  re.match("cd", "(?<x>c)(?<x>d)", "D", nil, t)
  return pack(t)
end)
run("reuse D old string", function()
  return pack(re.match("ab", "(?<x>a)", "D", nil, { x = "s" }))
end)
run("reuse D old number", function()
  return pack(re.match("ab", "(?<x>a)", "D", nil, { x = 5 }))
end)
run("reuse D old true", function()
  return pack(re.match("ab", "(?<x>a)", "D", nil, { x = true }))
end)
run("reuse D old false", function()
  return pack(re.match("ab", "(?<x>a)", "D", nil, { x = false }))
end)
run("__newindex", function()
  local seen = {}
  local t = setmetatable({}, { __newindex = function(_, k, v)
    seen[#seen + 1] = tostring(k) .. "=" .. tostring(v)
  end })
  re.match("ab", "(a)(x)?", nil, nil, t)
  return pack(table.concat(seen, " "))
end)
run("with ctx", function()
  local t, c = {}, { pos = 2 }
  local m = re.match("abab", "ab", nil, c, t)
  return pack(m == t, t, c.pos)
end)
for _, r in ipairs({ { "false", false }, { "nil", nil }, { "number", 5 },
                     { "string", "x" }, { "true", true }, { "function", print } }) do
  run("res " .. r[1], function() return pack(re.match("ab", "a", nil, nil, r[2])) end)
  run("res " .. r[1] .. " (no match)", function() return pack(re.match("ab", "x", nil, nil, r[2])) end)
  run("res " .. r[1] .. " (bad regex)", function() return pack(re.match("ab", "(", nil, nil, r[2])) end)
end
