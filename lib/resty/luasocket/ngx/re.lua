-- ngx.re of the plain-Lua ngx (resty.luasocket.ngx), on PCRE2.
return require("resty.luasocket.native").re
