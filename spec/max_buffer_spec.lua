-- set_max_buffer(n): what one read of the native sockets made afterwards
-- may hold (SPEC 7: line, '*a' and receiveuntil reads grow with the data
-- up to a per-socket cap). ngx_lua has no such limit, and a peer that
-- sends a line without end could make it use any amount of memory. Past
-- the cap a read returns nil, "buffer too large" and the cap's worth of
-- partial data; like a timeout, that keeps the connection, consumes only
-- the partial data, and the stream reads on from there. The default is
-- 16 MiB.

local socket = require "resty.luasocket"
local native = require "resty.luasocket.native"
local helper = require "helper"
local pack = helper.pack

local DEFAULT = 16 * 1024 * 1024
local ENDLESS = "flood:1000000000000;hold"      -- 1 TB: the peer's 30 s limit ends it

local READS = helper.READS

-- nil, "buffer too large", and n bytes of the flood
local function too_large(n, r, what)
    assert.equal(3, r.n, what)
    assert.is_nil(r[1], what)
    assert.equal("buffer too large", r[2], what)
    assert.equal(n, #r[3], what .. ": the partial data holds the cap's worth")
    assert.truthy(not r[3]:find("[^x]"), what .. ": the partial data is the flood's")
end

-- the peak resident set of this process since reset_peak(), in bytes; nil
-- where the kernel cannot reset it (Linux 4.0+ can)
local function reset_peak()
    local f = io.open("/proc/self/clear_refs", "w")
    if not f then return false end
    local ok = f:write("5")
    f:close()
    return ok ~= nil
end
local function peak()
    local f = assert(io.open("/proc/self/status", "rb"))
    local s = f:read("*a")
    f:close()
    return tonumber(s:match("VmHWM:%s*(%d+) kB")) * 1024
end

describe("set_max_buffer", function()
    after_each(function() native.set_max_buffer(DEFAULT) end)

    it("is the module's and the front's", function()
        assert.equal(native.set_max_buffer, socket.set_max_buffer)
    end)

    it("takes 512 bytes to 2^53; anything else raises", function()
        native.set_max_buffer(512)
        native.set_max_buffer(2 ^ 53)
        for _, bad in ipairs({511, 0, -1, 2 ^ 53 + 2, 0 / 0, math.huge}) do
            assert.error_matches(function() native.set_max_buffer(bad) end,
                                 "max buffer must be 512 bytes to 2^53")
        end
        assert.error_matches(function() native.set_max_buffer("x") end, "number expected")
        assert.error_matches(function() native.set_max_buffer() end, "number expected")
    end)

    for _, read in ipairs(READS) do
        it("is 16 MiB by default: " .. read[1], function()
            local s = helper.connected(ENDLESS, {timeout = 20000})
            too_large(DEFAULT, pack(read[2](s)), read[1])
            s:close()
        end)

        it("a small one: " .. read[1] .. " returns the error and the partial data", function()
            native.set_max_buffer(1000)
            local s = helper.connected(ENDLESS, {timeout = 20000})
            too_large(1000, pack(read[2](s)), read[1])
            -- the connection reads on
            assert.returns({"xxxxx"}, s:receive(5))
            s:close()
        end)
    end

    it("a line longer than the cap: its pieces, then the lines after it", function()
        native.set_max_buffer(1000)
        local s = helper.connected("send:" .. ("a"):rep(2500) .. "\\r\\nnext\\n;hold")
        assert.returns(pack(nil, "buffer too large", ("a"):rep(1000)), s:receive())
        assert.returns(pack(nil, "buffer too large", ("a"):rep(1000)), s:receive())
        assert.returns({("a"):rep(500)}, s:receive())
        assert.returns({"next"}, s:receive())
        s:close()
    end)

    it("reads of up to the cap are whole; one byte more is too large", function()
        native.set_max_buffer(1000)
        local s = helper.connected("flood:2000;send:\\n;flood:999;send:\\n;flood:1000;send:\\n;hold")
        assert.equal(1000, #assert(s:receive(1000)))
        assert.returns(pack(nil, "buffer too large", ("x"):rep(1000)), s:receive(1001))
        assert.returns({""}, s:receive())
        -- a line of 999 bytes and its newline fit; 1000 and a newline do not
        assert.returns({("x"):rep(999)}, s:receive())
        assert.returns(pack(nil, "buffer too large", ("x"):rep(1000)), s:receive())
        assert.returns({""}, s:receive())
        s:close()
    end)

    it("receiveuntil keeps a partial match for the next call, as after a timeout", function()
        native.set_max_buffer(1000)
        local s = helper.connected("flood:996;send:--bo;send:undary;flood:5;hold")
        local it = s:receiveuntil("--boundary")
        assert.returns(pack(nil, "buffer too large", ("x"):rep(996)), it())
        assert.returns({""}, it())
        assert.returns({"xxxxx"}, s:receive(5))
        s:close()
    end)

    it("sockets made before keep theirs", function()
        local before = helper.connected(ENDLESS, {timeout = 20000})
        native.set_max_buffer(2000)
        local after = helper.connected(ENDLESS, {timeout = 20000})
        too_large(2000, pack(after:receive()), "after")
        too_large(DEFAULT, pack(before:receive()), "before")
        before:close()
        after:close()
    end)

    it("keeps its cap across close and connect", function()
        native.set_max_buffer(1000)
        local peer = helper.peer(ENDLESS)
        local s = native.tcp()
        s:settimeout(20000)
        for _ = 1, 2 do
            assert.returns({1}, s:connect("127.0.0.1", peer.port))
            too_large(1000, pack(s:receive()), "*l")
            assert.returns({1}, s:close())
        end
    end)

    it("bounds the memory a flood takes: the peak resident set", function()
        -- a flood of 512 MiB without a newline, with time to send it all:
        -- without the cap, the line read held all of it
        local s = helper.connected("flood:536870912;hold", {timeout = 20000})
        helper.collect()
        if not reset_peak() then
            io.write("# /proc/self/clear_refs cannot reset the peak: partial size only\n")
        end
        local base = peak()
        too_large(DEFAULT, pack(s:receive()), "*l")
        local grew = peak() - base
        -- the buffer and the partial string, 32 MiB (54 under ASan or
        -- valgrind); without the cap, 1 GiB
        assert.truthy(grew < 96 * 1024 * 1024,
                      "the peak resident set grew by " .. math.floor(grew / 1048576) .. " MiB")
        s:close()
    end)
end)
