-- peer: none
-- ngx.decode_base64: nil exactly where nginx refuses the text (a letter
-- outside the standard alphabet before the first "=", or a length that
-- leaves one letter over); what follows the first "=" is not looked at.
-- Only strings are taken.
local ctx = ...
local ngx, P = ctx.ngx, ctx.pack

local inputs = {
  "", "=", "==", "Y", "YQ", "YQ=", "YQ==", "YQ===", "YQ==garbage!!", "YQ=x",
  "YR==", "YWI", "YWI=", "YWJj", "YWJjZA", "YWJjZ", "YWJjZA=", "YWJjZA==",
  "Y Q==", "YQ\n", " YQ", "-_", "+/", "+/+/", "YQ==YQ==", "=YQ", "YW=Jj",
  "AAAA", "////", "AP8A", "TWFu", "TWE=", "TQ==", "TQ", "T", "TWFuTWFu",
  "YW\0Jj", "YWJj\0", "\128", "Zm9vYmFy", "Zm9vYmE", "Zm9vYg", "Zm9vYmFyZg",
  "Zm9vYmFyZm", "Zm9v\rYmFy", "Zm9v.YmFy", "Zm9v*", "ZZZ=", "Z===",
}
for i, s in ipairs(inputs) do
  ctx.try("decode " .. i .. " " .. ctx.fmt(s), function()
    return P(ngx.decode_base64(s))
  end)
end

-- every byte value through a round trip
local bytes = {}
for i = 0, 255 do bytes[#bytes + 1] = string.char(i) end
bytes = table.concat(bytes)
for n = 0, 5 do
  local s = bytes:sub(100, 100 + n)
  ctx.show("round trip " .. n, ngx.decode_base64(ngx.encode_base64(s)) == s,
           ngx.decode_base64(ngx.encode_base64(s, true)) == s)
end
ctx.show("all bytes", ngx.decode_base64(ngx.encode_base64(bytes)) == bytes)

local z = 0.0
local values = {
  {"nil", nil}, {"false", false}, {"true", true}, {"number", 12},
  {"-0", -z}, {"table", {}}, {"function", print},
  {"tostring", setmetatable({}, {__tostring = function() return "YQ==" end})},
}
for _, c in ipairs(values) do
  ctx.try("value " .. c[1], function() return P(ngx.decode_base64(c[2])) end)
end
ctx.try("no argument", function() return P(ngx.decode_base64()) end)
ctx.try("extra arguments", function() return P(ngx.decode_base64("YQ==", 1)) end)
