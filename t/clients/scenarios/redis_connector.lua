-- Debian's lua-nginx-redis-connector (nginx.redis.connector 0.06,
-- unmodified; it requires nginx.redis and nginx.redis.sentinel, which load()
-- runs in the same environment) against redis-server: a DSN URL with a
-- database, keepalive through the connector, a unix socket, and the
-- connector's own errors.
return function(ctx)
  local connector = ctx.load("nginx.redis.connector")
  ctx.say("version ", connector._VERSION)
  local k = ctx.tag .. ":rc:"
  local rc = connector.new({
    connect_timeout = 2000,
    read_timeout = 2000,
    connection_options = {pool = ctx.tag .. ":rc"},
  })

  local function connect(params, reused)
    local red, err = rc:connect(params)
    if not red then
      ctx.say("connect: ", red, " ", err)
      return nil
    end
    ctx.say("connect: socket ", ctx.sock_ok(red._sock), ", reused ",
            red:get_reused_times(), " (want ", reused, ")")
    return red
  end

  local url = "redis://127.0.0.1:" .. ctx.env.redis_port
  local red = connect({url = url .. "/2"}, 0)
  ctx.show("set in db 2", red:set(k .. "where", "db2"))
  ctx.show("keepalive", rc:set_keepalive(red))

  red = connect({url = url .. "/2"}, 1)
  ctx.show("get in db 2", red:get(k .. "where"))
  ctx.show("keepalive", rc:set_keepalive(red))

  red = connect({url = url .. "/3"}, 2)
  ctx.say("get in db 3 is null: ", red:get(k .. "where") == ctx.null)
  ctx.show("close", red:close())

  red = connect({path = "unix:" .. ctx.env.redis_unix, db = 2}, 0)
  ctx.say("unix get in db 2: ", red and red:get(k .. "where"))
  ctx.say("unix close: ", red and red:close())

  ctx.show("bad url", rc:connect({url = "redis://no port here/x/y"}))
  ctx.show("unknown field", pcall(connector.new, {no_such_field = 1}))
end
