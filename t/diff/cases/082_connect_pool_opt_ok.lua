-- peer: send:hi\n;hold
-- Pool options that are accepted.
local ctx = ...
local P, try = ctx.pack, ctx.try
local function c(label, opts)
  local s = ctx.tcp()
  s:settimeout(2000)
  try(label, function() return P(s:connect("127.0.0.1", ctx.port, opts)) end)
  s:close()
end
c("pool 'name'", { pool = "name" })
c("pool 5", { pool = 5 })
c("pool_size 1", { pool_size = 1 })
c("pool_size '5'", { pool_size = "5" })
c("pool_size 1.5", { pool_size = 1.5 })
c("backlog 0", { pool_size = 2, backlog = 0 })
c("backlog alone", { backlog = 1 })
