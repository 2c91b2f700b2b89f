-- peer: none
-- Every numeric field of ngx, sorted: the status and method constants,
-- OK/ERROR/AGAIN/DONE/DECLINED and the log levels, with their values.
local ctx = ...
local ngx = ctx.ngx

local names = {}
for k, v in pairs(ngx) do
  if type(v) == "number" then names[#names + 1] = k end
end
table.sort(names)
for _, k in ipairs(names) do
  ctx.show(k, ngx[k])
end
