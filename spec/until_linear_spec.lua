-- receiveuntil costs time linear in the bytes read, whatever the pattern
-- (SPEC 7). A hostile peer floods near-matches of a long pattern: 64 KiB
-- of "x...xy" against megabytes of "x", where every byte extends a partial
-- match and a matcher that tries the pattern at each offset does 64 K
-- comparisons a byte (seconds of CPU a megabyte, not bounded by the read
-- timeout, which is only checked between reads).
--
-- The peer floods and closes: the iterator returns nil, "closed" and
-- everything before the trailing partial match. What it costs is compared
-- with the same flood against a pattern of the same length that never
-- starts a match (the memchr fast path), measured in the same run, so the
-- bound follows the machine (and valgrind or ASan): the old matcher took
-- 10 to 30 times that bound, the linear one a fraction of it.

local helper = require "helper"
local pack = helper.pack

local FLOOD = math.floor(8 * 1048576 / helper.SCALE)
local PLEN = 65536
local NEAR = ("x"):rep(PLEN - 1) .. "y" -- the flood is "x": always a near-match
local FAR = ("z"):rep(PLEN - 1) .. "y"  -- never starts in the flood
local TIMEOUT = 20000 -- ms; the flood takes milliseconds (seconds under valgrind)

-- Reads a flood of `FLOOD` "x" with receiveuntil(pattern), calling the
-- iterator with `size` (nil: no size) until it fails. Returns the CPU
-- seconds spent, the bytes returned, the error and the calls made.
local function drain(pattern, size)
    local sock = helper.connected("flood:" .. FLOOD .. ";close", {timeout = TIMEOUT})
    local it = sock:receiveuntil(pattern)
    local got, calls, err = 0, 0
    local t0 = os.clock()
    while true do
        local data, e, partial
        if size then data, e, partial = it(size) else data, e, partial = it() end
        calls = calls + 1
        if not data then
            err = e
            got = got + #(partial or "")
            break
        end
        got = got + #data
    end
    local cpu = os.clock() - t0
    sock:close()
    return cpu, got, err, calls
end

local function bound(far_cpu)
    return 0.5 + 3 * far_cpu
end

describe("receiveuntil against a flood of near-matches", function()
    it("one unsized call: all of it before the partial match, in linear time", function()
        local far_cpu, far_got, far_err = drain(FAR)
        assert.same({FLOOD, "closed"}, {far_got, far_err})
        local cpu, got, err = drain(NEAR)
        -- the last PLEN - 1 bytes are a partial match: they stay buffered
        assert.same({FLOOD - (PLEN - 1), "closed"}, {got, err})
        assert.is_true(cpu < bound(far_cpu),
            string.format("%.3f s of CPU for the near-matches, %.3f s for the others",
                          cpu, far_cpu))
    end)

    it("sized calls: each one scans only the bytes that are new to it", function()
        local far_cpu, far_got, far_err, far_calls = drain(FAR, 65536)
        assert.same({FLOOD, "closed", FLOOD / 65536 + 1},
                    {far_got, far_err, far_calls})
        local cpu, got, err, calls = drain(NEAR, 65536)
        assert.same({FLOOD - (PLEN - 1), "closed", FLOOD / 65536},
                    {got, err, calls})
        assert.is_true(cpu < bound(far_cpu),
            string.format("%.3f s of CPU for the near-matches, %.3f s for the others",
                          cpu, far_cpu))
    end)

    it("a long partial match held over many timeouts, then completed", function()
        -- the pattern's first 65535 bytes arrive, then the peer waits for
        -- a byte of ours: each call times out with nothing before the held
        -- partial match, however slowly the calls run
        local sock = helper.connected("flood:65535;recv:1;send:y;close", {timeout = 300})
        local it = sock:receiveuntil(NEAR)
        assert.returns(pack(nil, "timeout", ""), it())
        sock:settimeout(1)
        for _ = 1, 50 do
            assert.returns(pack(nil, "timeout", ""), it())
        end
        sock:settimeout(TIMEOUT)
        assert.returns({1}, sock:send("!"))
        assert.returns({""}, it())
        assert.returns(pack(nil, "closed", ""), it())
    end)
end)

describe("receiveuntil after other reads took part of a held partial match", function()
    it("what is left of it still counts, as far as it is a prefix", function()
        -- "aXaX" is held for "aXaXb"; receive(2) takes "aX", and the "aX"
        -- left is still the start of a match that "aXb" completes
        local sock = helper.connected("send:--aXaX;recv:1;send:aXb!;close", {timeout = 300})
        local it = sock:receiveuntil("aXaXb")
        assert.returns(pack(nil, "timeout", "--"), it())
        assert.returns({"aX"}, sock:receive(2))
        sock:settimeout(TIMEOUT)
        assert.returns({1}, sock:send("!"))
        assert.returns({""}, it())
        assert.returns(pack(nil, "closed", "!"), it())
    end)

    it("a reconnect forgets it: the new connection's bytes are matched afresh", function()
        -- the first connection leaves "-" held for "-X"; on the second one
        -- "aX" must not complete it
        local sock, peer = helper.connected("send:aX-;recv:1;send:X;close", {timeout = 200})
        local it = sock:receiveuntil("-X")
        assert.returns(pack(nil, "timeout", "aX"), it())
        sock:settimeout(TIMEOUT)
        assert.returns({1}, sock:connect("127.0.0.1", peer.port))
        assert.returns({1}, sock:send("!"))
        assert.returns({"aX"}, it())
        assert.returns(pack(nil, "closed", ""), it())
    end)
end)
