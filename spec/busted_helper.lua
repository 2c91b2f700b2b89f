-- busted's helper (.busted names it): what spec/run.lua does for its own
-- runs, done for busted's.
--
-- * the module for the running interpreter: built when missing (make), and
--   build/<interpreter>/ put first on package.cpath;
-- * this project's assertions on luassert's `assert`, so that the specs
--   mean the same under both runners: luassert's `equal` compares with
--   ==, ours deeply; our `error_matches` also takes a plain string;
--   `returns` and `pack` are ours alone;
-- * after each test, the servers it left running stopped; at the end, the
--   test PKI removed.

local interp = type(jit) == "table" and "luajit" or "lua" .. _VERSION:sub(5)

local built = io.open("build/" .. interp .. "/resty/luasocket/native.so", "rb")
if built then
    built:close()
else
    local ok = os.execute("make -s --no-print-directory LUA=" .. interp .. " module peer")
    if ok ~= true and ok ~= 0 then
        error("spec/busted_helper.lua: `make LUA=" .. interp .. " module peer` failed")
    end
end
package.cpath = "build/" .. interp .. "/?.so;" .. package.cpath

local luassert = require "luassert"
for name, fn in pairs(require "assertions") do
    -- (is and are are our runner's spellings of luassert's modifiers)
    if type(fn) == "function" then rawset(luassert, name, fn) end
end

local busted = require "busted"

local function stop_leftovers()
    for _, name in ipairs({ "helper", "tls_helper" }) do
        local m = package.loaded[name]
        if type(m) == "table" and m.stop_all then m.stop_all() end
    end
end

busted.subscribe({ "test", "end" }, function()
    stop_leftovers()
    return nil, true
end)

busted.subscribe({ "suite", "end" }, function()
    stop_leftovers()
    local tls = package.loaded.tls_helper
    if type(tls) == "table" and tls.cleanup then pcall(tls.cleanup) end
    return nil, true
end)
