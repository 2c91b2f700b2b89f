-- Debian's lua-nginx-memcached (nginx.memcached 0.13, unmodified) against
-- memcached: storage and arithmetic commands, escaped keys (ngx.escape_uri
-- and unescape_uri), multi-get, and keepalive between requests.
return function(ctx)
  local memcached = ctx.load("nginx.memcached")
  ctx.say("version ", memcached._VERSION)
  local pool = ctx.tag .. ":memcached"
  local k = ctx.tag .. ":"

  local function client(reused)
    local memc = assert(memcached:new())
    memc:set_timeout(2000)
    local ok, err = memc:connect("127.0.0.1", ctx.env.memcached_port,
                                 {pool = pool})
    ctx.say("connect: ", ok, " ", err, ", socket ", ctx.sock_ok(memc.sock),
            ", reused ", memc:get_reused_times(), " (want ", reused, ")")
    return memc
  end

  local memc = client(0)
  ctx.show("set", memc:set(k .. "dog", 32))
  ctx.show("get", memc:get(k .. "dog"))
  ctx.show("set with flags", memc:set(k .. "cat", "meow", 0, 7))
  ctx.show("get", memc:get(k .. "cat"))
  ctx.show("add existing", memc:add(k .. "dog", "x"))
  ctx.show("get missing", memc:get(k .. "nothing"))
  ctx.show("keepalive", memc:set_keepalive(10000, 10))

  memc = client(1)
  ctx.show("incr", memc:incr(k .. "dog", 10))
  ctx.show("decr", memc:decr(k .. "dog", 2))
  ctx.show("incr a string", memc:incr(k .. "cat", 1))
  ctx.say("delete: ", memc:delete(k .. "dog"), " ", memc:delete(k .. "dog"))
  local spaced = k .. "a key/with spaces+\195\169"
  ctx.show("set escaped key", memc:set(spaced, "spaced"))
  ctx.show("set a nested table", memc:set(k .. "plain", {"a", {"b", "c"}}))
  local got = memc:get({spaced, k .. "plain", k .. "missing"})
  local shown = {}
  for key, v in pairs(got or {}) do
    shown[key:sub(#k + 1)] = v
  end
  ctx.say("multi-get: ", shown)
  ctx.show("keepalive", memc:set_keepalive(10000, 10))

  memc = client(2)
  ctx.say("version looks right: ", memc:version():match("^%d+%.%d+") ~= nil)
  ctx.show("close", memc:close())
end
