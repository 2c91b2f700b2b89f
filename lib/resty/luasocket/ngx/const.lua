-- The constants of the plain-Lua ngx (resty.luasocket.ngx), with
-- ngx_lua's values.
return {
  OK = 0, ERROR = -1, AGAIN = -2, DONE = -4, DECLINED = -5,
}
