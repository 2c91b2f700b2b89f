-- resty.tinyhttp.headers: a header table with case-insensitive names, the
-- second module of the test HTTP client (so that load() has a module tree
-- to share its environment with).

local lower, setmetatable, rawget, rawset = string.lower, setmetatable,
  rawget, rawset

local _M = {}

-- names are kept as first written; lookups by any case find them
function _M.new()
  local names = {} -- lower-case name -> the name as written
  return setmetatable({}, {
    __index = function(t, k)
      local name = names[lower(k)]
      return name and rawget(t, name)
    end,
    __newindex = function(t, k, v)
      local low = lower(k)
      local name = names[low]
      if not name then
        names[low] = k
        name = k
      end
      rawset(t, name, v)
    end,
  })
end

return _M
