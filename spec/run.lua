-- A small busted-like runner: no dependencies, runs under LuaJIT and Lua
-- 5.1 to 5.4. From the repository root:
--
--   LUA_PATH='lib/?.lua;lib/?/init.lua;spec/?.lua;;' \
--   LUA_CPATH='build/<interp>/?.so;;' <interp> spec/run.lua [spec/x_spec.lua ...]
--
-- Prints "ok - <describe> <it>" or "not ok - <describe> <it> : <error>" per
-- test and ends with "N passed, N failed"; exits non-zero on any failure.
-- An error anywhere (test, hook, loading a file) is a failure, never a skip.
--
-- SPEC_GC_STRESS=N (N >= 1) runs everything with the collector at its most
-- eager: a new cycle as soon as one ends, big steps, and one more step
-- every N Lua instructions (1 means the default, 1000), so that objects
-- die and finalizers run in the middle of every method call that
-- allocates.

local args = {...}
package.path = "spec/?.lua;" .. package.path

local gc_stress = tonumber(os.getenv("SPEC_GC_STRESS") or "")
if gc_stress and gc_stress >= 1 then
    collectgarbage("setpause", 0)
    collectgarbage("setstepmul", 1000)
    -- hooks are per coroutine; coroutines made later inherit this one
    debug.sethook(function() collectgarbage("step") end, "",
                  gc_stress > 1 and math.floor(gc_stress) or 1000)
end
local assertions = require "assertions"

local type, tostring, pcall, xpcall = type, tostring, pcall, xpcall
local concat, insert = table.concat, table.insert
local traceback = debug.traceback

local tests = {}        -- {name =, fn =, blocks =}, in order
local load_errors = {}  -- {name =, err =}
local stack = {}        -- the describe blocks being collected

local function current_names()
    local names = {}
    for i = 1, #stack do names[i] = stack[i].name end
    return names
end

-- the hooks of a test's enclosing blocks, outermost first; looked up when
-- the test runs, so a hook declared after an `it` still applies to it
local function hooks(blocks, kind)
    local list = {}
    for i = 1, #blocks do
        for _, fn in ipairs(blocks[i][kind]) do insert(list, fn) end
    end
    return list
end

local function describe(name, fn)
    insert(stack, {name = tostring(name), before_each = {}, after_each = {}})
    local ok, err = xpcall(fn, traceback)
    if not ok then
        insert(load_errors, {name = concat(current_names(), " "), err = err})
    end
    stack[#stack] = nil
end

local function it(name, fn)
    local names, blocks = current_names(), {}
    names[#names + 1] = tostring(name)
    for i = 1, #stack do blocks[i] = stack[i] end
    insert(tests, {name = concat(names, " "), fn = fn, blocks = blocks})
end

local function add_hook(kind)
    return function(fn)
        local top = stack[#stack]
        if not top then error(kind .. " outside describe", 2) end
        insert(top[kind], fn)
    end
end

_G.describe = describe
_G.it = it
_G.before_each = add_hook("before_each")
_G.after_each = add_hook("after_each")
_G.assert = assertions

local function spec_files(names)
    if #names > 0 then return names end
    local files = {}
    local p = io.popen("ls spec/*_spec.lua 2>/dev/null")
    for line in p:lines() do files[#files + 1] = line end
    p:close()
    return files
end

local function first_line(err)
    local s = tostring(err)
    local msg = s:match("^(.-)\nstack traceback:") or s
    return (msg:gsub("\n", " | "))
end

-- the traceback, without the runner's and the assertions' own frames
local function diag(err)
    local s = tostring(err)
    local trace = s:match("\nstack traceback:\n(.*)$")
    if not trace then return end
    for line in trace:gmatch("[^\n]+") do
        if not (line:find("spec/run.lua", 1, true) or line:find("assertions.lua", 1, true)
                or line:find("^%s*%[C%]")) then
            io.write("#   ", (line:gsub("^%s+", "")), "\n")
        end
    end
end

-- servers a test started and did not stop (helper.lua and tls_helper.lua
-- keep the lists)
local function stop_leftovers()
    local ok, err = true, nil
    for _, name in ipairs({"helper", "tls_helper"}) do
        local m = package.loaded[name]
        if type(m) == "table" and m.stop_all then
            local fine, e = pcall(m.stop_all)
            if not fine and ok then ok, err = false, e end
        end
    end
    return ok, err
end

-- after the last test: the test PKI of tls_helper.lua goes
local function remove_temporaries()
    local tls = package.loaded.tls_helper
    if type(tls) == "table" and tls.cleanup then pcall(tls.cleanup) end
end

local function run_test(t)
    local err
    local befores, afters = hooks(t.blocks, "before_each"), hooks(t.blocks, "after_each")
    for _, fn in ipairs(befores) do
        local ok, e = xpcall(fn, traceback)
        if not ok then err = e break end
    end
    if not err then
        local ok, e = xpcall(t.fn, traceback)
        if not ok then err = e end
    end
    for i = #afters, 1, -1 do
        local ok, e = xpcall(afters[i], traceback)
        if not ok and not err then err = e end
    end
    local ok, e = stop_leftovers()
    if not ok and not err then err = e end
    return err
end

local function main()
    for _, file in ipairs(spec_files(args)) do
        local chunk, err = loadfile(file)
        if not chunk then
            insert(load_errors, {name = file, err = err})
        else
            local ok, e = xpcall(chunk, traceback)
            if not ok then insert(load_errors, {name = file, err = e}) end
        end
    end

    local passed, failed = 0, 0
    for _, le in ipairs(load_errors) do
        failed = failed + 1
        io.write("not ok - ", le.name, " (loading) : ", first_line(le.err), "\n")
        diag(le.err)
    end
    if #tests == 0 and #load_errors == 0 then
        failed = failed + 1
        io.write("not ok - no tests found\n")
    end
    -- SPEC_TIMES=1: each test's wall-clock seconds after its line
    local clock = os.getenv("SPEC_TIMES") == "1" and require("helper").now
    for _, t in ipairs(tests) do
        local t0 = clock and clock()
        local err = run_test(t)
        if err then
            failed = failed + 1
            io.write("not ok - ", t.name, " : ", first_line(err), "\n")
            diag(err)
        else
            passed = passed + 1
            io.write("ok - ", t.name, "\n")
        end
        if clock then io.write(("# %.2f s\n"):format(clock() - t0)) end
        io.flush()
    end
    stop_leftovers()
    remove_temporaries()
    io.write(passed, " passed, ", failed, " failed\n")
    return failed == 0
end

local ok, res = xpcall(function() return main() end, traceback)
if not ok then
    io.write("not ok - runner : ", first_line(res), "\n")
    diag(res)
    io.write("0 passed, 1 failed\n")
    os.exit(1)
end
os.exit(res and 0 or 1)
