-- ngx.re of the plain-Lua ngx (resty.luasocket.ngx), on PCRE2: match, find,
-- gmatch, sub and gsub with ngx_lua's semantics (src/lua/re.c). The C
-- module's table also has the `o` cache's knobs (set_cache_max_entries,
-- cache_entries, cached) and `jit`; ngx.re itself has the five functions.
local re = require("resty.luasocket.native").re

return {
  match = re.match,
  find = re.find,
  gmatch = re.gmatch,
  sub = re.sub,
  gsub = re.gsub,
}
