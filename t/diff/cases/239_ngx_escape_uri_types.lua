-- peer: none
-- ngx.escape_uri with each type ngx_lua 0.10.23 accepts (0 to 6; 2, a URI
-- component, when absent): which of the 256 byte values each one escapes,
-- as ranges, and one string through each.
local ctx = ...
local ngx = ctx.ngx

local function escaped_ranges(kind)
  local out, i = {}, 0
  while i < 256 do
    local c = string.char(i)
    if ngx.escape_uri(c, kind) ~= c then
      local j = i
      while j < 255 and ngx.escape_uri(string.char(j + 1), kind) ~= string.char(j + 1) do
        j = j + 1
      end
      out[#out + 1] = j > i and string.format("%02X-%02X", i, j) or string.format("%02X", i)
      i = j + 1
    else
      i = i + 1
    end
  end
  return table.concat(out, " ")
end

local sample = "/a b/c?d=e&f=g#h+i%j'k\"l<m>\0\127\128\255~!*()"
for kind = 0, 6 do
  ctx.show("type " .. kind, escaped_ranges(kind))
  ctx.show("type " .. kind .. " sample", ngx.escape_uri(sample, kind))
end
ctx.show("default", escaped_ranges(nil))
ctx.show("default sample", ngx.escape_uri(sample))
ctx.show("escape of %XX", ngx.escape_uri(string.char(0, 15, 16, 171, 255)))
ctx.show("nothing to escape", ngx.escape_uri("abc", 0), ngx.escape_uri("", 2))
