-- envprobe: a module for the "env" scenario of t/clients, loaded with
-- resty.luasocket.load(): it takes the coroutine API and ngx.sleep when it
-- loads, as clients do, and requires a module of its own.
local part = require "envprobe.part"
local co_create, co_resume, co_yield, co_status, co_wrap, co_running,
      co_isyieldable = coroutine.create, coroutine.resume, coroutine.yield,
      coroutine.status, coroutine.wrap, coroutine.running,
      coroutine.isyieldable
local sleep, now, update_time = ngx.sleep, ngx.now, ngx.update_time

local _M = {part = part, ngx = ngx}

-- a generator through create/resume/yield/status
function _M.numbers(n)
  local co = co_create(function()
    for i = 1, n do
      co_yield(i)
    end
    return "end"
  end)
  local out = {}
  while co_status(co) ~= "dead" do
    local ok, v = co_resume(co)
    out[#out + 1] = tostring(ok) .. ":" .. tostring(v)
  end
  return table.concat(out, " ")
end

-- the same through wrap, with a value sent back in
function _M.echo(values)
  local f = co_wrap(function(first)
    local got = first
    while got ~= "stop" do
      got = co_yield("got " .. tostring(got))
    end
    return "stopped"
  end)
  local out = {}
  for _, v in ipairs(values) do
    out[#out + 1] = f(v)
  end
  return table.concat(out, ", ")
end

-- what isyieldable and running say inside and outside a coroutine
function _M.yieldable()
  local inside
  local co = co_create(function()
    inside = {co_isyieldable(), co_running() ~= nil}
  end)
  co_resume(co)
  return inside[1], inside[2]
end

-- ngx.sleep: waits, and the clock moves (blocking where the phase cannot
-- yield, yielding where it can)
function _M.nap(seconds)
  update_time()
  local t0 = now()
  sleep(seconds)
  return now() - t0 >= seconds * 0.9
end

return _M
