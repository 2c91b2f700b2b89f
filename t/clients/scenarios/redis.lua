-- Debian's lua-nginx-redis (nginx.redis 0.27, unmodified) against
-- redis-server, on TCP and on its unix socket: strings, null, errors,
-- hashes (the table form goes through the client's global unpack), lists,
-- a script, a pipeline, and keepalive between requests.
return function(ctx)
  local redis = ctx.load("nginx.redis")
  ctx.say("version ", redis._VERSION)
  local pool = ctx.tag .. ":redis"
  local k = ctx.tag .. ":"

  local function client(reused, where)
    local red = assert(redis:new())
    red:set_timeout(2000)
    local ok, err
    if where == "unix" then
      ok, err = red:connect("unix:" .. ctx.env.redis_unix,
                            {pool = pool .. ":unix"})
    else
      ok, err = red:connect("127.0.0.1", ctx.env.redis_port, {pool = pool})
    end
    ctx.say("connect: ", ok, " ", err, ", socket ", ctx.sock_ok(red._sock),
            ", reused ", red:get_reused_times(), " (want ", reused, ")")
    return red
  end

  local red = client(0)
  ctx.show("set", red:set(k .. "dog", "an animal"))
  ctx.show("get", red:get(k .. "dog"))
  ctx.say("missing is null: ", red:get(k .. "missing") == ctx.null)
  ctx.show("del", red:del(k .. "n", k .. "h", k .. "l", k .. "p"))
  ctx.show("keepalive", red:set_keepalive(10000, 10))

  red = client(1)
  ctx.say("incr: ", red:incr(k .. "n"), " ", red:incrby(k .. "n", 41))
  ctx.show("incr a string", red:incr(k .. "dog"))
  ctx.show("hmset", red:hmset(k .. "h", {name = "rex", legs = 4}))
  ctx.show("hgetall", red:array_to_hash(red:hgetall(k .. "h")))
  ctx.say("lpush: ", red:lpush(k .. "l", "c", "b", "a"), " ",
          red:lrange(k .. "l", 0, -1))
  ctx.show("eval", red:eval("return ARGV[1] .. ' ' .. ARGV[2]", 0, "hi", "there"))
  ctx.show("keepalive", red:set_keepalive(10000, 10))

  red = client(2)
  red:init_pipeline()
  red:set(k .. "p", "v")
  red:get(k .. "p")
  red:incr(k .. "p")
  red:get(k .. "missing")
  local results, err = red:commit_pipeline()
  if results then
    results[4] = results[4] == ctx.null and "null" or results[4]
  end
  ctx.say("pipeline: ", results, " ", err)
  ctx.say("blpop times out: ", (function()
    red:set_timeout(200)
    return red:blpop(k .. "empty", 5)
  end)())
  ctx.show("keepalive after timeout", red:set_keepalive(10000, 10))

  red = client(0, "unix")
  ctx.show("unix get", red:get(k .. "dog"))
  ctx.show("unix keepalive", red:set_keepalive(10000, 10))
  red = client(1, "unix")
  ctx.show("unix ping", red:ping())
  ctx.show("close", red:close())
end
