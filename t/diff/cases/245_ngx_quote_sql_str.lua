-- peer: none
-- ngx.quote_sql_str: single quotes around MySQL's backslash escapes of
-- NUL, \b, \n, \r, \t, \26 (\Z), backslash and both quotes; strings and
-- numbers only, exactly one argument.
local ctx = ...
local ngx, P = ctx.ngx, ctx.pack

local bytes = {}
for i = 0, 255 do bytes[#bytes + 1] = string.char(i) end
bytes = table.concat(bytes)
local inputs = {
  "", "a", "a'b", 'a"b', "a\\b", "\0", "\n\r\t\26\8", "\128\255", "%_",
  "''", "\\'", "Robert'); DROP TABLE students;--", "\1\2\27\127", bytes,
}
for i, s in ipairs(inputs) do
  ctx.try(i .. " " .. ctx.fmt(s), function() return P(ngx.quote_sql_str(s)) end)
end
local z = 0.0
for _, c in ipairs({{"12", 12}, {"1.5", 1.5}, {"-0", -z}, {"nan", 0 / 0},
                    {"tie", 123456789012345}, {"nil", nil}, {"true", true},
                    {"false", false}, {"table", {}}, {"null", ngx.null}}) do
  ctx.try("value " .. c[1], function() return P(ngx.quote_sql_str(c[2])) end)
end
ctx.try("no argument", function() return P(ngx.quote_sql_str()) end)
ctx.try("two arguments", function() return P(ngx.quote_sql_str("a", "b")) end)
