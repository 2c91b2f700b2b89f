-- The checks of t/clients/run.sh, run inside nginx: the unmodified Debian
-- clients nginx.redis and nginx.memcached, loaded with
-- resty.luasocket.load(), talk to the redis-server and memcached that run.sh
-- started. In init_worker (no cosockets) they get native sockets and pool
-- them with set_keepalive; in content the same loaded modules get ngx_lua's
-- cosockets.
--
-- Every check appends "ok - ..." or "not ok - ..." to the results file
-- (clients_env.results); each phase ends with "done PHASE", and says how
-- many native sockets it made ("native PHASE N") for the error.log check.

local socket = require "resty.luasocket"
local env = require "clients_env"

local _M = {}

local function emit(line)
  local f = assert(io.open(env.results, "a"))
  f:write(line, "\n")
  f:close()
end

local function check(phase, name, cond, detail)
  if cond then
    emit("ok - " .. phase .. ": " .. name)
  else
    emit("not ok - " .. phase .. ": " .. name
         .. (detail ~= nil and " (got " .. tostring(detail) .. ")" or ""))
  end
  return cond
end

-- runs fn(phase); an error inside is a failed check, never a silent stop
local function run(phase, fn)
  local ok, err = xpcall(function() fn(phase) end, debug.traceback)
  if not ok then
    check(phase, "ran without raising", false, err)
  end
  emit("done " .. phase)
end

local function is_native(sock)
  return getmetatable(sock) == socket.luasocket_mt
end

-- the modules as loaded in init_worker, compared with content's
local loaded_in_init = {}

-- ---- init_worker: native sockets, pooled --------------------------------

local function redis_native(phase)
  local redis = socket.load("nginx.redis")
  loaded_in_init.redis = redis
  check(phase, "load() returns the same table twice", socket.load("nginx.redis") == redis)
  check(phase, "load() leaves package.loaded alone", package.loaded["nginx.redis"] == nil)

  local first_id
  for i = 1, 3 do
    local red = assert(redis:new())
    red:set_timeout(2000)
    local ok, err = red:connect("127.0.0.1", env.redis_port)
    check(phase, "redis request " .. i .. ": connect", ok == 1, err)
    check(phase, "redis request " .. i .. ": native socket", is_native(red._sock),
          tostring(red._sock))
    local reused = red:get_reused_times()
    check(phase, "redis request " .. i .. ": get_reused_times() is " .. (i - 1),
          reused == i - 1, reused)
    local id = red:client("id")
    first_id = first_id or id
    check(phase, "redis request " .. i .. ": the server sees one connection",
          type(id) == "number" and id == first_id, id)

    if i == 1 then
      local res = red:set("greeting", "from init_worker")
      check(phase, "redis set", res == "OK", res)
      res = red:get("greeting")
      check(phase, "redis get", res == "from init_worker", res)
      res = red:get("no such key")
      check(phase, "redis: a missing key is the real ngx.null", res == ngx.null, res)
    elseif i == 2 then
      local res = red:incr("counter")
      check(phase, "redis incr", res == 1, res)
      res = red:hmset("h", {a = "1", b = "2"})
      check(phase, "redis hmset with a table", res == "OK", res)
      res = red:hget("h", "b")
      check(phase, "redis hget", res == "2", res)
    else
      red:init_pipeline()
      red:incr("counter")
      red:get("greeting")
      red:lpush("list", "x")
      local res, err2 = red:commit_pipeline()
      check(phase, "redis pipeline",
            type(res) == "table" and res[1] == 2 and res[2] == "from init_worker"
            and res[3] == 1, res and table.concat(res, ",") or err2)
    end

    if i < 3 then
      local kept, kerr = red:set_keepalive(10000, 10)
      check(phase, "redis request " .. i .. ": set_keepalive", kept == 1, kerr)
    else
      check(phase, "redis request 3: close", red:close() == 1)
    end
  end
  return 3
end

local function memcached_native(phase)
  local memcached = socket.load("nginx.memcached")
  loaded_in_init.memcached = memcached
  check(phase, "load() of memcached returns the same table twice",
        socket.load("nginx.memcached") == memcached)

  for i = 1, 3 do
    local memc = assert(memcached:new())
    memc:set_timeout(2000)
    local ok, err = memc:connect("127.0.0.1", env.memcached_port)
    check(phase, "memcached request " .. i .. ": connect", ok == 1, err)
    check(phase, "memcached request " .. i .. ": native socket", is_native(memc.sock),
          tostring(memc.sock))
    local reused = memc:get_reused_times()
    check(phase, "memcached request " .. i .. ": get_reused_times() is " .. (i - 1),
          reused == i - 1, reused)

    if i == 1 then
      local res, serr = memc:set("greeting", "from init_worker")
      check(phase, "memcached set", res == 1, serr)
      local value, flags = memc:get("greeting")
      check(phase, "memcached get", value == "from init_worker" and flags == "0", value)
      res, serr = memc:set("a key with spaces", "escaped")
      check(phase, "memcached set of a key that needs escape_uri", res == 1, serr)
    elseif i == 2 then
      memc:set("n", 10)
      local res = memc:incr("n", 5)
      check(phase, "memcached incr", res == "15", res)
      res = memc:get("a key with spaces")
      check(phase, "memcached get of an escaped key", res == "escaped", res)
    else
      local res = memc:delete("n")
      check(phase, "memcached delete", res == 1, res)
      local value, flags, gerr = memc:get("n")
      check(phase, "memcached get after delete", value == nil and flags == nil and gerr == nil,
            gerr)
    end

    if i < 3 then
      local kept, kerr = memc:set_keepalive(10000, 10)
      check(phase, "memcached request " .. i .. ": set_keepalive", kept == 1, kerr)
    else
      check(phase, "memcached request 3: close", memc:close() == 1)
    end
  end
  return 3
end

function _M.init_worker()
  run("init_worker", function(phase)
    local n = redis_native(phase) + memcached_native(phase)
    -- load() gave the modules a proxy: the real ngx.socket is ngx_lua's
    check(phase, "the real ngx.socket.tcp is untouched", ngx.socket.tcp ~= socket.tcp)
    emit("native init_worker " .. n)
  end)
end

-- ---- content: the same modules on real cosockets ------------------------

local function redis_cosocket(phase)
  local redis = socket.load("nginx.redis")
  check(phase, "load() returns the table loaded in init_worker", redis == loaded_in_init.redis)
  local cosocket_mt = getmetatable(ngx.socket.tcp())
  for i = 1, 2 do
    local red = assert(redis:new())
    red:set_timeout(2000)
    local ok, err = red:connect("127.0.0.1", env.redis_port)
    check(phase, "redis request " .. i .. ": connect", ok == 1, err)
    check(phase, "redis request " .. i .. ": a real cosocket",
          not is_native(red._sock) and getmetatable(red._sock) == cosocket_mt)
    local reused = red:get_reused_times()
    check(phase, "redis request " .. i .. ": get_reused_times() is " .. (i - 1),
          reused == i - 1, reused)
    local res = red:get("greeting")
    check(phase, "redis request " .. i .. ": reads what init_worker wrote",
          res == "from init_worker", res)
    local kept, kerr = red:set_keepalive(10000, 10)
    check(phase, "redis request " .. i .. ": set_keepalive", kept == 1, kerr)
  end
end

local function memcached_cosocket(phase)
  local memcached = socket.load("nginx.memcached")
  check(phase, "load() of memcached returns the table loaded in init_worker",
        memcached == loaded_in_init.memcached)
  for i = 1, 2 do
    local memc = assert(memcached:new())
    memc:set_timeout(2000)
    local ok, err = memc:connect("127.0.0.1", env.memcached_port)
    check(phase, "memcached request " .. i .. ": connect", ok == 1, err)
    check(phase, "memcached request " .. i .. ": a real cosocket", not is_native(memc.sock))
    local reused = memc:get_reused_times()
    check(phase, "memcached request " .. i .. ": get_reused_times() is " .. (i - 1),
          reused == i - 1, reused)
    local value = memc:get("greeting")
    check(phase, "memcached request " .. i .. ": reads what init_worker wrote",
          value == "from init_worker", value)
    local kept, kerr = memc:set_keepalive(10000, 10)
    check(phase, "memcached request " .. i .. ": set_keepalive", kept == 1, kerr)
  end
end

function _M.content()
  run("content", function(phase)
    redis_cosocket(phase)
    memcached_cosocket(phase)
    emit("native content 0")
  end)
  ngx.say("content done")
end

return _M
