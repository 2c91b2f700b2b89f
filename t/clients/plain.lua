-- t/clients in plain Lua: runs scenario NAME (arg 1) with the context tag
-- "plain-INTERP" (arg 2) and prints its output. LUA_PATH and LUA_CPATH are
-- run.sh's; TLS trusts the test PKI, as the client nginx does.
local name, tag = ...
local env = require "clients_env"
assert(require("resty.luasocket").set_luasec_defaults({
  cafile = env.pki .. "/ca.pem", depth = 5,
}))
io.stdout:write(require("scenario").run(name, tag))
