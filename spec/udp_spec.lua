-- The native UDP socket (SPEC 6) against build/peer --udp, which sends every
-- datagram back to its sender. Return values and errors as ngx_lua's
-- ngx.socket.udp gives them: setpeername -> 1, send -> 1, receive -> the
-- datagram (at most 8192 bytes), nil and "timeout" or "closed".

local native = require "resty.luasocket.native"
local helper = require "helper"

local function udp_to(peer)
    local u = native.udp()
    u:settimeout(2000)
    assert.returns({1}, u:setpeername("127.0.0.1", peer.port))
    return u
end

describe("udp", function()
    it("sends a datagram and receives the answer", function()
        local u = udp_to(helper.peer("echo", {udp = true}))
        assert.returns({1}, u:send("hello"))
        assert.returns({"hello"}, u:receive())
        assert.returns({1}, u:close())
    end)

    it("send converts as the TCP socket does", function()
        local u = udp_to(helper.peer("echo", {udp = true}))
        assert.returns({1}, u:send({"a", 1, {2.5}, 3.0}))
        assert.returns({"a12.53"}, u:receive())
        assert.returns({1}, u:send(true))
        assert.returns({"true"}, u:receive())
        assert.error_matches(function() local _ = u:send({true}) end,
                             "bad data type boolean found")
        u:close()
    end)

    it("receive(size) cuts the datagram; 8192 at most", function()
        local u = udp_to(helper.peer("echo", {udp = true}))
        assert.returns({1}, u:send("0123456789"))
        assert.returns({"0123"}, u:receive(4))
        assert.returns({1}, u:send(string.rep("x", 10000)))
        local got = u:receive(100000)
        assert.equal(8192, #got)
        u:close()
    end)

    it("a silent peer: timeout, and the socket stays usable", function()
        local u = udp_to(helper.peer("echo", {udp = true}))
        u:settimeout(100)
        local t0 = native.now()
        assert.returns({nil, "timeout"}, u:receive())
        assert.is_true(native.now() - t0 < 1.5)
        assert.returns({1}, u:send("again"))
        assert.returns({"again"}, u:receive())
        u:close()
    end)

    it("a closed or never set socket says closed", function()
        local u = native.udp()
        assert.returns({nil, "closed"}, u:send("x"))
        assert.returns({nil, "closed"}, u:receive())
        assert.returns({nil, "closed"}, u:close())
        u = udp_to(helper.peer("echo", {udp = true}))
        assert.returns({1}, u:close())
        assert.returns({nil, "closed"}, u:send("x"))
    end)

    it("setpeername again switches peers", function()
        local a, b = helper.peer("echo", {udp = true}), helper.peer("echo", {udp = true})
        local u = udp_to(a)
        assert.returns({1}, u:setpeername("127.0.0.1", b.port))
        assert.returns({1}, u:send("to b"))
        assert.returns({"to b"}, u:receive())
        u:close()
    end)

    it("checks its arguments as ngx_lua", function()
        local u = native.udp()
        assert.error_matches(function() local _ = u:setpeername() end,
            "ngx.socket.udp setpeername: expecting 2 or 3 arguments "
            .. "(including the object), but seen 1")
        assert.returns({nil, "bad port number: 65536"}, u:setpeername("127.0.0.1", 65536))
        assert.error_matches(function() local _ = u:send() end,
            "expecting 2 arguments (including the object), but got 1")
        assert.error_matches(function() local _ = native.udp(1) end,
            "expecting zero arguments, but got 1")
        assert.returns({nil, "bad address"}, u:bind("localhost"))
        assert.returns({true}, u:bind("127.0.0.1"))
    end)

    -- SPEC 7, as for TCP's connect: the part before the NUL is another
    -- address than the caller's
    it("setpeername to a host with a NUL byte: refused, nothing sent there", function()
        local peer = helper.peer("echo", {udp = true})
        local u = native.udp()
        u:settimeout(2000)
        for _, host in ipairs({"127.0.0.1\0junk", "localhost\0.example.com"}) do
            assert.returns({nil, host .. " could not be resolved (3: Host not found)"},
                           u:setpeername(host, peer.port))
            assert.returns({nil, "closed"}, u:send("x"))
        end
        assert.returns({nil, 'failed to parse host name "[::1": invalid IPv6 address'},
                       u:setpeername("[::1\0]", peer.port))
        assert.returns({nil, 'failed to parse host name "unix:/tmp/x\\0y": holds a NUL byte'},
                       u:setpeername("unix:/tmp/x\0y"))
        assert.returns({1}, u:setpeername("127.0.0.1", peer.port))
        assert.returns({1}, u:send("ok"))
        assert.returns({"ok"}, u:receive())
        u:close()
    end)

    it("bind to an address with a NUL byte: nil, bad address", function()
        local u = native.udp()
        assert.returns({nil, "bad address"}, u:bind("127.0.0.1\0junk"))
        assert.returns({nil, "bad address"}, u:bind("\0"))
        assert.returns({true}, u:bind("127.0.0.1"))
    end)

    it("leaves no descriptor behind", function()
        local peer = helper.peer("echo", {udp = true})
        helper.collect()
        local before = helper.socket_count()
        for _ = 1, 20 do
            local u = udp_to(peer)
            u:send("x")
            u:receive()
        end
        helper.collect()
        assert.equal(before, helper.socket_count())
    end)
end)
