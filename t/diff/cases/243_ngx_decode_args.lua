-- peer: none
-- ngx.decode_args: "&" between arguments, the first "=" between key and
-- value, both unescaped ("+" a space); a key without "=" is true, an empty
-- key is dropped; a repeated key gives a list. The tables print sorted.
local ctx = ...
local ngx, P = ctx.ngx, ctx.pack

local show_args = ctx.lib("ngx_cases").show_args

local inputs = {
  "", "a", "a=", "=b", "=", "==", "a=b", "a=b&a=c", "a&a", "a=1&a",
  "a&a=1", "&&", "a=b&&c=d", "a+b=c+d", "a%20b=%41", "a=b=c", "a=%zz",
  "&a=1&", "a;b=1", "a=1&a=2&a=3", "a&b&c", "%3D=%26", "a=b&A=c", "a==b",
  "+=+", "%2=%", "a%3", "a%", "%%%", "a=%", "a=b&a&a=c&a=", "&=&=&=a&b",
  "%00=%00", "k=\0v", "x=%E4%B8%AD&y=%e4%b8%ad", "a=1&b=2&a=3&b=4&a=5",
  "a =1", " a=1", "a=1 ", "?a=1", "a=1#b", "a=%2B+%20",
}
for i, s in ipairs(inputs) do
  ctx.try(i .. " " .. ctx.fmt(s), function() return P(show_args(ngx.decode_args(s))) end)
end

local z = 0.0
ctx.try("number", function() return P(show_args(ngx.decode_args(12))) end)
ctx.try("float", function() return P(show_args(ngx.decode_args(1.5))) end)
ctx.try("-0", function() return P(show_args(ngx.decode_args(-z))) end)
ctx.try("tie", function() return P(show_args(ngx.decode_args(123456789012345))) end)
for _, c in ipairs({{"nil", nil}, {"true", true}, {"false", false},
                    {"table", {}}, {"null", ngx.null}}) do
  ctx.try("not a string " .. c[1], function() return P(ngx.decode_args(c[2])) end)
end
ctx.try("no argument", function() return P(ngx.decode_args()) end)
ctx.try("three arguments", function() return P(ngx.decode_args("a", 1, 2)) end)
