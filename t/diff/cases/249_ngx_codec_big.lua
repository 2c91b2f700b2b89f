-- peer: none
-- The encoders and digests on large inputs (up to 2 MiB): lengths,
-- digests and round trips, printed short.
local ctx = ...
local ngx = ctx.ngx

local chunk = {}
for i = 0, 255 do chunk[#chunk + 1] = string.char(i) end
chunk = table.concat(chunk)
for _, size in ipairs({1023, 65536, 1048577, 2097152}) do
  local s = string.rep(chunk, math.floor(size / 256) + 1):sub(1, size)
  local e = ngx.encode_base64(s)
  local n = ngx.encode_base64(s, true)
  ctx.show("size " .. size, #e, #n, ngx.md5(e), ngx.decode_base64(e) == s,
           ngx.decode_base64(n) == s)
  ctx.show("digests " .. size, ngx.md5(s), ngx.crc32_short(s), ngx.crc32_long(s),
           ngx.encode_base64(ngx.sha1_bin(s)), ngx.encode_base64(ngx.hmac_sha1(s, s)))
  local esc = ngx.escape_uri(s)
  ctx.show("uri " .. size, #esc, ngx.unescape_uri(esc) == s, #ngx.escape_uri(s, 0))
  ctx.show("sql " .. size, #ngx.quote_sql_str(s))
end
local big_args = string.rep("k=v&", 100000)
ctx.show("decode_args 100000 pieces, no limit", #ngx.decode_args(big_args, 0).k)
ctx.show("decode_args 100000 pieces", #ngx.decode_args(big_args).k)
local list = {}
for i = 1, 100000 do list[i] = i end
ctx.show("encode_args 100000 values", #ngx.encode_args({k = list}))
