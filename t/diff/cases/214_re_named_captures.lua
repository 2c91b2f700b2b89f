-- peer: none
-- Named groups: by name as well as by number; with D a name may repeat and
-- gives an array of the groups that matched; without D, (?J) and (?|...)
-- let a name repeat and the last group's value wins, false included.
local ctx = ...
local re, pack = ctx.ngx.re, ctx.pack
local lib = ctx.lib("re")
local run = lib.run
local cases = {
  { "ab", "(?<x>a)(?<y>b)" },
  { "ab", "(?<x>a)(?<y>c)?" },
  { "ab", "(?P<x>a)(?'y'b)" },
  { "ab", "(?<x>a)(?<x>b)", "D" },
  { "ab", "(?<x>a)(?<x>c)?", "D" },
  { "b", "(?<x>a)|(?<x>b)", "D" },
  { "xyz", "(?<a>x)(?<b>y)(?<a>z)", "D" },
  { "xyz", "(?<b>x)(?<a>y)(?<b>z)(?<a>q)?", "D" },
  { "a", "(?J)(?<x>a)|(?<x>b)" },
  { "b", "(?J)(?<x>a)|(?<x>b)" },
  { "a", "(?J)(?<x>a)|(?<x>b)", "D" },
  { "b", "(?|(?<x>a)|(?<x>b))" },
  { "a", "(?|(?<x>a)|(?<x>b))", "D" },
  { "ab", "(?<x>a)(?<x>b)" },
  { "ab", "(?<_x1>a)(?<Long_Name_2>b)" },
  { "abc", "(?<n>a)(b)(?<m>c)" },
  { "abc", "(?<n>a)(b)(?<m>c)", "d" },
  { "abc", "(?<n>a)(b)(?<m>c)", "dD" },
}
for i, c in ipairs(cases) do
  run("match #" .. i .. " " .. (c[3] or ""), function() return pack(re.match(c[1], c[2], c[3])) end)
  run("gmatch #" .. i .. " " .. (c[3] or ""), function()
    local it, err = re.gmatch(c[1], c[2], c[3])
    if not it then return pack(it, err) end
    return pack(it())
  end)
end
