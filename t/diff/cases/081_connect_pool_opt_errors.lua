-- peer: none
-- Bad pool options raise before anything is connected.
local ctx = ...
local P, try = ctx.pack, ctx.try
local function c(label, opts)
  try(label, function() return P(ctx.tcp():connect("127.0.0.1", ctx.port, opts)) end)
end
c("pool {}", { pool = {} })
c("pool true", { pool = true })
c("pool_size 0", { pool_size = 0 })
c("pool_size -1", { pool_size = -1 })
c("pool_size 'x'", { pool_size = "x" })
c("pool_size {}", { pool_size = {} })
c("backlog -1", { backlog = -1, pool_size = 1 })
