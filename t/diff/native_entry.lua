-- The plain-Lua side of the differential suite:
--   LUA_PATH=... LUA_CPATH=build/<interp>/?.so;; <interp> t/diff/native_entry.lua NAME PORT PATH
-- run from the repository root; runs t/diff/cases/NAME.lua with the native
-- socket and writes what the case printed to stdout.

local name, port, path = ...
local harness = dofile("t/diff/harness.lua")
local native = require "resty.luasocket.native"

-- the TLS cases: trust the test PKI as nginx does (t/diff/run.sh)
local cafile = os.getenv("DIFF_TLS_CAFILE")
if cafile and cafile ~= "" then
  assert(require("resty.luasocket").set_luasec_defaults({cafile = cafile, depth = 5}))
end

local function emit(line)
  io.stdout:write(line, "\n")
end

local function sleep(seconds)
  os.execute(string.format("sleep %.3f", seconds))
end

local ctx = harness.context(native.tcp, tonumber(port), path, emit, sleep)
-- the ngx stand-in cases (2xx): the plain-Lua ngx against nginx's own
ctx.ngx = require "resty.luasocket.ngx"
harness.run(".", name, ctx, emit)
io.stdout:flush()
