-- A timeout bounds the whole call against a peer that floods (SPEC 7): a
-- peer that sends faster than we read never makes a read wait, so the
-- deadline must be checked after every read and every TLS record, not only
-- before waits. Every read form, against an endless flood that holds no
-- newline and no match (or only near-matches), returns nil, "timeout" and
-- the partial data at its deadline, and the connection stays usable.
--
-- The cap on what one call may hold (set_max_buffer, spec/max_buffer_spec)
-- is raised out of the way here, so that the deadline is what ends each
-- call; what a call buffers is then what arrives before its deadline. The
-- bound is generous: the timeout + 8 s (the partial data of a fast flood is
-- tens of MiB, copying it out takes time, and a busy machine may stall us). Without the deadline check
-- each of these calls ran until the peer stopped or memory ran out.

local native = require "resty.luasocket.native"
local helper = require "helper"
local th = require "tls_helper"

local TIMEOUT = 300     -- ms
-- seconds past the timeout a call may take; more under ASan, valgrind and
-- GC stress (SPEC_SCALE), which slow every step they watch
local SLACK = helper.SCALE > 1 and 15 or 8
local ENDLESS = "flood:1000000000000;hold"      -- 1 TB: the peer's 30 s limit ends it

local within = helper.within

local READS = helper.reads(
    -- every byte of the flood starts a match that the next one breaks
    {"receiveuntil, near-matches", function(s) return s:receiveuntil("xxxxy")() end})

-- the outcome every form must have: a timeout, data of the flood, and a
-- connection that still reads
local function check(r, s, what)
    assert.equal(3, r.n, what)
    assert.is_nil(r[1], what)
    assert.equal("timeout", r[2], what)
    assert.is_string(r[3], what)
    assert.truthy(#r[3] > 0 and not r[3]:find("[^x]"), what .. ": the partial data is the flood's")
    s:settimeout(5000)
    assert.returns({"xxxxx"}, s:receive(5))
end

describe("a timeout against a flooding peer", function()
    before_each(function() native.set_max_buffer(2 ^ 40) end)
    after_each(function() native.set_max_buffer(16 * 1024 * 1024) end)

    for _, read in ipairs(READS) do
        it(read[1] .. ": timeout and the partial data at the deadline", function()
            local s = helper.connected(ENDLESS, {timeout = TIMEOUT})
            check(within(TIMEOUT / 1000 + SLACK, read[1], function() return read[2](s) end),
                  s, read[1])
            s:close()
        end)
    end

    it("over a unix socket too", function()
        local s = helper.connected(ENDLESS, {timeout = TIMEOUT, unix = true})
        check(within(TIMEOUT / 1000 + SLACK, "*l", function() return s:receive() end), s, "*l")
        s:close()
    end)

    for _, read in ipairs(READS) do
        it("TLS, " .. read[1] .. ": timeout and the partial data at the deadline", function()
            local srv = th.tls_peer("data")
            local s = native.tcp()
            s:settimeout(3000)
            assert.returns({1}, s:connect("127.0.0.1", srv.port))
            assert.truthy(s:sslhandshake(false, "localhost", false))
            s:settimeout(TIMEOUT)
            check(within(TIMEOUT / 1000 + SLACK, read[1], function() return read[2](s) end),
                  s, read[1])
            s:close()
        end)
    end
end)
