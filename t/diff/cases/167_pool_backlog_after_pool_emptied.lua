-- peer: hold
-- Once its last connection closed, ngx_lua frees the pool and with it the
-- backlog: a connect without pool_size then makes an unpooled connection
-- (no limit), and a later pool_size/backlog creates a new pool.
local ctx = ...
local show = ctx.show
local opts = { pool = "e" .. ctx.port, pool_size = 1, backlog = 0 }
local s1, s2, s3 = ctx.tcp(), ctx.tcp(), ctx.tcp()
for _, s in ipairs({ s1, s2, s3 }) do s:settimeout(300) end
show("s1", s1:connect("127.0.0.1", ctx.port, opts))
show("s2", s2:connect("127.0.0.1", ctx.port, opts))
show("s1 close (pool now empty)", s1:close())
show("s1 no pool options", s1:connect("127.0.0.1", ctx.port, { pool = opts.pool }))
show("s2 no pool options", s2:connect("127.0.0.1", ctx.port, { pool = opts.pool }))
show("s3 pool_size 5, backlog 0", s3:connect("127.0.0.1", ctx.port, { pool = opts.pool, pool_size = 5, backlog = 0 }))
s1:close()
s2:close()
s3:close()
