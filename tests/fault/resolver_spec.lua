-- Name lookups against a resolver that never answers (SPEC 3: a resolver
-- that hangs must not hold the caller past the connect timeout; nor may the
-- lookups it abandons pile up). Runs only through tests/fault/resolver.sh,
-- in a namespace whose one nameserver, 127.0.0.1:53, reads every query and
-- answers none; its resolv.conf gives up on a name after about 2 s.
--
-- Found by these checks: every timed-out lookup left its thread, with an
-- 8 MiB stack, for the resolver's whole timeout: 1000 failed connects in
-- 1 s left 1000 threads, and under a 1 GiB address-space limit even
-- connect("localhost") then failed (`resource temporarily unavailable`).

local native = require "resty.luasocket.native"
local helper = require "helper"

local MAX_LOOKUPS = 64      -- ADDR_MAX_LOOKUPS in src/core/addr.c
local STACK_KIB = 256       -- ADDR_LOOKUP_STACK
local GIVE_UP = 2           -- the namespace's resolv.conf: timeout:2 attempts:1

-- a number field of /proc/self/status ("Threads", "VmSize")
local function status(field)
    for line in io.lines("/proc/self/status") do
        local v = line:match("^" .. field .. ":%s*(%d+)")
        if v then return tonumber(v) end
    end
    error("no " .. field .. " in /proc/self/status")
end

local function threads() return status("Threads") end

-- waits (at most `seconds`) until this process has at most n threads;
-- returns the last count
local function wait_threads(n, seconds)
    local t
    for _ = 1, math.floor(seconds / 0.05) do
        t = threads()
        if t <= n then return t end
        native.sleep(0.05)
    end
    return threads()
end

-- how many private writable mappings of exactly `kib` KiB this process has
-- (glibc maps each thread's stack as one, its guard page apart)
local function mappings_of(kib)
    local n = 0
    for line in io.lines("/proc/self/maps") do
        local from, to, perm = line:match("^(%x+)%-(%x+) (%S+)")
        if perm == "rw-p" and (tonumber(to, 16) - tonumber(from, 16)) == kib * 1024 then
            n = n + 1
        end
    end
    return n
end

local function timed_out(name)
    return name .. " could not be resolved (110: Operation timed out)"
end

local function connect(host, port, ms)
    local s = native.tcp()
    s:settimeout(ms)
    local t0 = native.now()
    local ok, err = s:connect(host, port)
    local took = native.now() - t0
    s:close()
    return ok, err, took
end

describe("a resolver that never answers", function()
    local base

    before_each(function()
        assert.equal("1", os.getenv("LUASOCKET_RESOLVER_NS"),
                     "run through tests/fault/resolver.sh (its namespace has the silent resolver)")
        -- the lookups of the test before have given up
        base = wait_threads(1, GIVE_UP * 3)
        assert.equal(1, base, "threads left by the test before")
    end)

    it("a connect gives up at its timeout: NAME could not be resolved (110: Operation timed out)", function()
        local ok, err, took = connect("one.hang.test", 80, 300)
        assert.equal(nil, ok)
        assert.equal(timed_out("one.hang.test"), err)
        assert.truthy(took >= 0.25 and took < 1.5, "took " .. took .. " s")
    end)

    it("udp setpeername: the same, within the read timeout", function()
        local u = native.udp()
        u:settimeout(300)
        local t0 = native.now()
        assert.returns({nil, timed_out("udp.hang.test")}, u:setpeername("udp.hang.test", 53))
        local took = native.now() - t0
        assert.truthy(took >= 0.25 and took < 1.5, "took " .. took .. " s")
    end)

    it("1000 connects to one such name share one lookup thread; localhost resolves at once", function()
        local most, t0 = threads(), native.now()
        for i = 1, 1000 do
            local ok, err = connect("same.hang.test", 80, 1)
            if ok or err ~= timed_out("same.hang.test") then
                error("connect " .. i .. ": " .. tostring(ok) .. ", " .. tostring(err))
            end
            most = math.max(most, threads())
        end
        local took = native.now() - t0
        io.write(("# 1000 connects in %.2f s, at most %d threads\n"):format(took, most))
        assert.truthy(most <= base + 1, "at most " .. most .. " threads")
        assert.truthy(took < 10, "took " .. took .. " s")
        local peer = helper.peer("send:here\\n;hold")
        local s = native.tcp()
        s:settimeout(2000)
        t0 = native.now()
        assert.returns({1}, s:connect("localhost", peer.port))
        assert.truthy(native.now() - t0 < 1.5, "localhost took " .. (native.now() - t0) .. " s")
        assert.equal("here", s:receive())
        s:close()
    end)

    it("1000 connects to 1000 such names: at most " .. MAX_LOOKUPS .. " lookup threads of "
       .. STACK_KIB .. " KiB stacks; localhost resolves once a slot frees", function()
        local most, vm0, t0 = threads(), status("VmSize"), native.now()
        for i = 1, 1000 do
            local name = "n" .. i .. ".hang.test"
            local ok, err = connect(name, 80, 1)
            if ok or err ~= timed_out(name) then
                error("connect " .. i .. ": " .. tostring(ok) .. ", " .. tostring(err))
            end
            most = math.max(most, threads())
        end
        local took = native.now() - t0
        -- (glibc keeps the stacks of ended threads for new ones: count all)
        local stacks = mappings_of(STACK_KIB)
        io.write(("# 1000 connects in %.2f s, at most %d threads, %d stacks of %d KiB,"
                  .. " VmSize +%d MiB (glibc's malloc arenas, mostly)\n")
                 :format(took, most, stacks, STACK_KIB, math.floor((status("VmSize") - vm0) / 1024)))
        assert.equal(base + MAX_LOOKUPS, most)
        assert.truthy(stacks >= MAX_LOOKUPS, stacks .. " mappings of " .. STACK_KIB .. " KiB")
        assert.truthy(took < 10, "took " .. took .. " s")
        -- every slot is taken by a name that hangs: localhost waits for one,
        -- which frees when the resolver gives up on a name
        local peer = helper.peer("send:here\\n;hold")
        local s = native.tcp()
        s:settimeout(GIVE_UP * 1000 + 3000)
        t0 = native.now()
        assert.returns({1}, s:connect("localhost", peer.port))
        io.write(("# localhost waited %.2f s for a slot\n"):format(native.now() - t0))
        assert.equal("here", s:receive())
        s:close()
        -- and a connect whose timeout ends before any slot frees says so:
        -- once the lookups above gave up, fill every slot again
        assert.equal(base, wait_threads(base, GIVE_UP * 3))
        for i = 1, MAX_LOOKUPS do connect("m" .. i .. ".hang.test", 80, 1) end
        assert.equal(base + MAX_LOOKUPS, threads())
        local ok, err, waited = connect("late.hang.test", 80, 200)
        assert.equal(nil, ok)
        assert.equal(timed_out("late.hang.test"), err)
        assert.truthy(waited >= 0.15 and waited < 1.5, "took " .. waited .. " s")
    end)

    it("the abandoned lookups end when the resolver gives up on them", function()
        for i = 1, 10 do connect("end" .. i .. ".hang.test", 80, 1) end
        assert.equal(base + 10, threads())
        assert.equal(base, wait_threads(base, GIVE_UP * 3))
    end)
end)
