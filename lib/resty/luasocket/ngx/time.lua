-- The clock functions of the plain-Lua ngx (resty.luasocket.ngx).

local native = require "resty.luasocket.native"

local _M = {
  now = native.now,
  time = os.time,
}

-- nginx caches its clock; plain Lua reads it at each call: nothing to do
function _M.update_time()
end

return _M
