-- peer: none
-- ngx.re.sub/gsub replacement templates: $0, $N, ${N}, $$; a group that
-- does not exist or took no part gives ""; group numbers wrap as ngx_lua's
-- unsigned arithmetic does; anything else after $ refuses the template
-- ("failed to compile the replacement template"), match or not.
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
