-- peer: none
-- ngx.sleep's argument: whole milliseconds, truncated; fewer than 0 and NaN
-- refused with the number ngx_lua shows (its integer cast, printed as a C
-- int); number-like strings taken; the argument count checked. (Durations
-- past 2^63 ms: ngx_lua refuses them by accident of that cast, where the
-- native sleep sleeps: spec/ngx_util_spec.lua.)
local ctx = ...
local sleep = ctx.ngx.sleep
local unpack = table.unpack or unpack -- luacheck: ignore 143

-- the function's name in argument errors: '?' in nginx, the field's here
local function call(label, ...)
  local r = ctx.pack(pcall(sleep, ...))
  if type(r[2]) == "string" then r[2] = r[2]:gsub("to '[^']*'", "to 'F'") end
  ctx.show(label, unpack(r, 1, r.n))
end

call("-1", -1)
call("-2.5", -2.5)
call("-0.001", -0.001)
call("-0.0005 (0 ms)", -0.0005)
call("0", 0)
call("0.0005 (0 ms)", 0.0005)
call("'0.001'", "0.001")
call("NaN", 0 / 0)
call("-inf", -1 / 0)
call("-1e300", -1e300)
call("-3e6 (its low 32 bits)", -3e6)
call("-2147483.649", -2147483.649)
call("'x'", "x")
call("{}", {})
call("nil", nil)
call("no argument")
call("two arguments", 1, 2)
