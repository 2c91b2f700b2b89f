-- peer: none
-- ngx.unescape_uri: %XX (either case) is a byte, "+" a space, every other
-- "%" stays; other values through tostring() (nil and false are "").
local ctx = ...
local ngx, P = ctx.ngx, ctx.pack

local inputs = {
  "", "abc", "%41", "%4", "%", "%%", "%zz", "a+b", "++", "%2B", "%2b",
  "%e4%B8%ad", "%00x", "%41%", "%4g", "%G1", "a%2", "%%41", "%a%41",
  "%4%41", "%%%", "%2", "%20%2", "%fF%Ff", "a%20b+c%2Bd", "%0D%0A",
  "%25", "%2525", "%41%42%43", "+%20+", "%\0", "%8", "%80%",
}
for i, s in ipairs(inputs) do
  ctx.try(i .. " " .. ctx.fmt(s), function() return P(ngx.unescape_uri(s)) end)
end

-- every byte value survives escape then unescape, with each type
local bytes = {}
for i = 0, 255 do bytes[#bytes + 1] = string.char(i) end
bytes = table.concat(bytes)
for kind = 0, 6 do
  ctx.show("round trip " .. kind, ngx.unescape_uri(ngx.escape_uri(bytes, kind)) == bytes)
end

local z = 0.0
local values = {
  {"nil", nil}, {"false", false}, {"true", true}, {"12", 12}, {"1.5", 1.5},
  {"-0", -z}, {"nan", 0 / 0}, {"tie", 123456789012345},
  {"tostring", setmetatable({}, {__tostring = function() return "%41+" end})},
}
for _, c in ipairs(values) do
  ctx.try("value " .. c[1], function() return P(ngx.unescape_uri(c[2])) end)
end
ctx.try("no argument", function() return P(ngx.unescape_uri()) end)
ctx.try("extra arguments", function() return P(ngx.unescape_uri("%41", 1)) end)
