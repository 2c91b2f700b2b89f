-- peer: none
-- ngx.re.sub/gsub replacement templates: $0, $N, ${N}, $$; a group that
-- does not exist or took no part gives ""; group numbers wrap as ngx_lua's
-- unsigned arithmetic does; anything else after $ refuses the template
-- ("failed to compile the replacement template"), match or not.
local ctx = ...
local re, fmt, pack = ctx.ngx.re, ctx.fmt, ctx.pack
local lib = ctx.lib("re")
local run = lib.run
local templates = {
  "[$0]", "[$1]", "[${1}]", "[$2]", "[$1$2]", "[$2$1]", "[$$]", "[$$1]",
  "[$$$1]", "[$1a]", "[${1}a]", "[${0}x]", "[$9]", "[$10]", "[$01]",
  "[${01}]", "[$00]", "", "plain", "$", "[$", "[$]", "[${]", "[${}]",
  "[${1]", "[${1a}]", "[${a}]", "[$a]", "[${name}]", "[$name]", "[$-]",
  "[$ ]", "[$\n]", "[${ 1}]", "[$1}]", "[{$1}]",
  "[$99999999999999999999999]", "[$18446744073709551616]",
  "[$18446744073709551617]", "[$9223372036854775808]",
  "[$9223372036854775809]", "[$2147483648]", "[$4294967296]",
  "[$4294967297]",
}
for _, t in ipairs(templates) do
  run("sub " .. fmt(t), function() return pack(re.sub("xaby", "(a)(?<name>b)", t)) end)
end
for _, t in ipairs({ "[$1]", "[$]", "<$0>", "$2$1" }) do
  run("gsub " .. fmt(t), function() return pack(re.gsub("ab cd", "(\\w)(\\w)?", t)) end)
  run("gsub no match " .. fmt(t), function() return pack(re.gsub("ab cd", "x", t)) end)
end
run("unset group", function() return pack(re.gsub("ab", "(x)?b", "[$1]")) end)
run("alternation", function() return pack(re.gsub("ab", "(a)|(b)", "[$1|$2]")) end)
run("DFA groups", function() return pack(re.gsub("aab", "a+", "[$0|$1]", "d")) end)
run("NUL in template", function() return pack(re.gsub("ab", "b", "\0$0\0")) end)
-- a replacement that is not a string or function goes through tostring()
for _, r in ipairs({ { "nil", nil }, { "number", 7 }, { "float", 2.5 }, { "true", true },
                     { "false", false },
                     { "__tostring", setmetatable({}, { __tostring = function() return "<$0>" end }) } }) do
  run("replace " .. r[1], function() return pack(re.sub("ab", "b", r[2])) end)
end
