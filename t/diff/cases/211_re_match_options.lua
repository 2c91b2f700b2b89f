-- peer: none
-- ngx.re.match's options: every letter ngx_lua knows, their mixtures, the
-- empty string, nil and false, a table, and unknown letters (an error).
local ctx = ...
local re, fmt, pack = ctx.ngx.re, ctx.fmt, ctx.pack
local lib = ctx.lib("re")
local run = lib.run
local cases = {
  { "ABC", "b", "i" },
  { "ABC", "b", "" },
  { "a\nb", "^b", "m" },
  { "a\nb", "^b", nil },
  { "a\nb", "a$", "m" },
  { "a\nb", "a.b", "s" },
  { "a\nb", "a.b", nil },
  { "ab", "a b # comment", "x" },
  { "ab", "a\\ b", "x" },
  { "xab", "a", "a" },
  { "abx", "a", "a" },
  { "\228\184\173x", "^.", "u" },
  { "\228\184\173x", "^.", nil },
  { "\228\184\173x", "^.", "U" },
  { "\228\184\173\228\184\173", "\\x{4e2d}+", "u" },
  { "a", "\\u0061", "J" },
  { "ab", "[]", "J" },
  { "ab", "(x)?\\1a", "J" },
  { "ab", "(x)?\\1a", nil },
  { "abc", "b+", "j" },
  { "abc", "b+", "o" },
  { "abc", "b+", "jo" },
  { "ABC", "b", "ijo" },
  { "abcabc", "a.*c|a", "d" },
  { "abcabc", "a.*?c", "d" },
  { "abcabc", "(a)(b)", "d" },
  { "abcabc", "(?<n>a)(b)", "d" },
  { "ab", "(?<x>a)(?<x>b)", "D" },
  { "ABC", "b", "iiii" },
  { "abc", "b", false },
  { "abc", "b", {} },
  { "a b", "A B", "ix" },
  { "x\nAB", "^a.", "ims" },
}
for i, c in ipairs(cases) do
  run("match #" .. i .. " (" .. fmt(c[3]) .. ")", function()
    return pack(re.match(c[1], c[2], c[3]))
  end)
end

-- unknown letters raise, naming the first one and all of them
for _, o in ipairs({ "Z", "iZq", "g", "I", " ", "i-", "O", "ox" }) do
  run("match opts " .. fmt(o), function() return pack(re.match("ox", "x", o)) end)
  run("find opts " .. fmt(o), function() return pack(re.find("ox", "x", o)) end)
  run("gmatch opts " .. fmt(o), function() return pack(re.gmatch("ox", "x", o)) end)
  run("sub opts " .. fmt(o), function() return pack(re.sub("ox", "x", "y", o)) end)
  run("gsub opts " .. fmt(o), function() return pack(re.gsub("ox", "x", "y", o)) end)
end
