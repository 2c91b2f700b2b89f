-- peer: none
-- ngx.re.match and find with ctx: ctx.pos (1-based) is where the search
-- starts and, after a match, one past its end; without a match it stays.
local ctx = ...
local re, fmt, pack = ctx.ngx.re, ctx.fmt, ctx.pack
local lib = ctx.lib("re")
local run = lib.run
local function with_pos(fn, subj, regex, opts, pos)
  return function()
    local c = { pos = pos }
    local r = pack(re[fn](subj, regex, opts, c))
    r[r.n + 1], r.n = c.pos, r.n + 1
    return r
  end
end
local positions = { "nil", 0, 1, 2, 3, 4, 5, 6, 10, -1, -100, 1.5, 2.9, 3.5,
                    4.5, 2^31, 2^31 + 2, 2^32 + 1, 2^40, -2^40, math.huge,
                    -math.huge }
for _, p in ipairs(positions) do
  local pos = p ~= "nil" and p or nil
  run("match(pos " .. fmt(p) .. ")", with_pos("match", "abcb", "b", nil, pos))
  run("find(pos " .. fmt(p) .. ")", with_pos("find", "abcb", "b", nil, pos))
  run("match c? (pos " .. fmt(p) .. ")", with_pos("match", "abc", "c?", nil, pos))
end
-- anchoring: `a` and \G anchor at ctx.pos, ^ does not
run("a at pos", with_pos("match", "xab", "a", "a", 2))
run("a before pos", with_pos("match", "xab", "x", "a", 2))
run("^ at pos", with_pos("match", "xab", "^a", nil, 2))
run("\\G at pos", with_pos("match", "xab", "\\Ga", nil, 2))
run("lookbehind before pos", with_pos("match", "xab", "(?<=x)a", nil, 2))
-- a loop over all matches with one ctx
run("loop", function()
  local c, out = {}, {}
  while true do
    local m = re.match("a1b22c333", "\\d+", nil, c)
    if not m then break end
    out[#out + 1] = m[0] .. "@" .. c.pos
  end
  return pack(table.concat(out, " "), c.pos)
end)
-- an empty match leaves ctx.pos where it was: the caller must step
run("empty match", function()
  local c = { pos = 2 }
  local a = re.match("abc", "x*", nil, c)
  local b = re.match("abc", "x*", nil, c)
  return pack(a[0], b[0], c.pos)
end)
-- ctx with other fields and a metatable
run("ctx fields kept", function()
  local c = { pos = 1, other = "x" }
  re.match("ab", "b", nil, c)
  return pack(c.pos, c.other)
end)
run("ctx __index", function()
  local c = setmetatable({}, { __index = { pos = 3 } })
  local m = re.match("abab", "ab", nil, c)
  return pack(m[0], rawget(c, "pos"))
end)
run("ctx __newindex", function()
  local seen = {}
  local c = setmetatable({}, { __newindex = function(_, k, v) seen[#seen + 1] = k .. "=" .. v end })
  re.match("abab", "b", nil, c)
  return pack(table.concat(seen, ","), rawget(c, "pos"))
end)
-- ctx of other types
local others = { { "false", false }, { "string", "s" }, { "number", 5 },
                 { "true", true }, { "function", print } }
for _, o in ipairs(others) do
  run("match ctx " .. o[1] .. " (no match)", function() return pack(re.match("ab", "x", nil, o[2])) end)
  run("match ctx " .. o[1], function() return pack(re.match("ab", "b", nil, o[2])) end)
  run("find ctx " .. o[1], function() return pack(re.find("ab", "b", nil, o[2])) end)
end
-- ctx.pos of other types
for _, p in ipairs({ { "false", false }, { "'2'", "2" }, { "{}", {} }, { "true", true } }) do
  run("match pos " .. p[1], function() return pack(re.match("ab", "b", nil, { pos = p[2] })) end)
end
