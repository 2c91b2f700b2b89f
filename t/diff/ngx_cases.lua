-- What the cases of the plain-Lua ngx (230-259) share, as
-- ctx.lib("ngx_cases") returns it:
--   random(seed)   a fixed pseudo-random sequence (the same strings on
--                  both sides): r.int(n) in 0..n-1, r.string(alphabet, max),
--                  r.bytes(max), each of 0..max characters
--   show_args(t)   decode_args' table as text, keys sorted, lists inline
local ctx = ...

local M = {}

function M.random(seed)
  local r = {}
  function r.int(n)
    seed = (seed * 16807) % 2147483647
    return seed % n
  end
  function r.string(alphabet, max)
    local t = {}
    for i = 1, r.int(max + 1) do
      local k = r.int(#alphabet) + 1
      t[i] = alphabet:sub(k, k)
    end
    return table.concat(t)
  end
  function r.bytes(max)
    local t = {}
    for i = 1, r.int(max + 1) do t[i] = string.char(r.int(256)) end
    return table.concat(t)
  end
  return r
end

function M.show_args(t)
  if type(t) ~= "table" then return ctx.fmt(t) end
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  local out = {}
  for _, k in ipairs(keys) do
    local v = t[k]
    if type(v) == "table" then
      local items = {}
      for i = 1, #v do items[i] = ctx.fmt(v[i]) end
      v = "{" .. table.concat(items, ", ") .. "}"
    else
      v = ctx.fmt(v)
    end
    out[#out + 1] = ctx.fmt(k) .. "=" .. v
  end
  return "{" .. table.concat(out, ", ") .. "}"
end

return M
