-- TLS peers that send only protocol records (SPEC 7: a timeout bounds the
-- whole call against any peer): a TLS 1.3 server may send KeyUpdate and
-- NewSessionTicket records at any time, and OpenSSL's SSL_read consumes
-- them without returning for as long as more arrive. Against build/tls_peer
-- flooding them, every read form returns "timeout" at its deadline, and the
-- idle check (setkeepalive, and connect taking from the pool) gives up
-- after a bounded number of records: such a connection is not idle.
--
-- Bounds are generous (a deadline + 2 s); without the fixes each of these
-- calls ran until the peer stopped (20 s).

local native = require "resty.luasocket.native"
local helper = require "helper"
local th = require "tls_helper"
local pack = helper.pack

-- seconds a call may take past its deadline: far from the 20 s the calls
-- took without the check, far from what a busy machine stalls us
local SLACK = 8

-- a native socket through the TLS handshake with a tls_peer serving script
local function tls_conn(script, ms)
    local srv = th.tls_peer(script)
    local s = native.tcp()
    s:settimeout(ms or 3000)
    assert.returns({1}, s:connect("127.0.0.1", srv.port))
    assert.truthy(s:sslhandshake(false, "localhost", false))
    return s, srv
end

local within = helper.within

-- a flood of protocol records brings no data at all: even the reads that
-- return what there is (a small size, receiveany) wait
local READS = helper.reads(
    {"size", function(s) return s:receive(10) end},
    {"receiveany", function(s) return s:receiveany(100) end})

describe("TLS protocol records", function()
    for _, kind in ipairs({"keyupdate", "ticket"}) do
        it("a flood of " .. kind .. " records: every read form times out at its deadline", function()
            local s = tls_conn(kind)
            s:settimeout(300)
            for _, read in ipairs(READS) do
                local r = within(0.3 + SLACK, read[1], function() return read[2](s) end)
                assert.same(pack(nil, "timeout", ""), r)
            end
            s:close()
        end)

        it("a flood of " .. kind .. " records: setkeepalive calls it dubious, at once", function()
            local s = tls_conn(kind)
            -- records are waiting (however long a busy machine takes)
            helper.wait_until(10, "the flood's first records", function()
                return (helper.rx_queued(s:getfd()) or 0) > 0
            end)
            local r = within(SLACK, "setkeepalive", function() return s:setkeepalive() end)
            assert.same(pack(nil, "connection in dubious state"), r)
            assert.returns(pack(nil, "closed"), s:receive())
        end)
    end

    it("a pooled connection whose server starts a flood is not handed out", function()
        local srv = th.tls_peer("sleep:300;keyupdate")
        local s = native.tcp()
        s:settimeout(3000)
        assert.returns({1}, s:connect("127.0.0.1", srv.port))
        assert.truthy(s:sslhandshake(false, "localhost", false))
        assert.returns({1}, s:setkeepalive())
        helper.sleep(0.6)   -- the flood has begun
        local r = within(SLACK, "connect", function() return s:connect("127.0.0.1", srv.port) end)
        assert.same(pack(1), r)
        assert.returns({0}, s:getreusedtimes())
        s:close()
    end)

    it("a few records are no reason to refuse a connection to the pool", function()
        local s = tls_conn("keyupdate:5;ticket:5;hold")
        helper.sleep(0.3)
        assert.returns({1}, s:setkeepalive())
    end)

    it("application data after protocol records is still read", function()
        local s = tls_conn("keyupdate:50;ticket:50;send:hello\n;hold")
        assert.returns({"hello"}, s:receive())
        s:close()
    end)
end)
