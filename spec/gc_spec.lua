-- A socket dropped without close() gives its descriptor back when the
-- garbage collector takes it; failures leak nothing.

local native = require "resty.luasocket.native"
local helper = require "helper"

describe("gc", function()
    it("a dropped connected socket's fd is closed after collectgarbage", function()
        local peer = helper.peer("hold")
        helper.collect()
        local before = helper.socket_count()
        do
            local sock = native.tcp()
            sock:settimeout(2000)
            assert.returns({1}, sock:connect("127.0.0.1", peer.port))
            assert.equal(before + 1, helper.socket_count())
        end
        helper.collect()
        assert.equal(before, helper.socket_count())
    end)

    it("many dropped sockets leave no descriptor behind", function()
        local peer = helper.peer("send:x\\n;hold")
        helper.collect()
        local before = helper.socket_count()
        for _ = 1, 50 do
            local sock = native.tcp()
            sock:settimeout(2000)
            sock:connect("127.0.0.1", peer.port)
            sock:receive()
        end
        helper.collect()
        assert.equal(before, helper.socket_count())
    end)

    it("a closed socket collects cleanly", function()
        local peer = helper.peer("hold")
        local before = helper.socket_count()
        do
            local sock = native.tcp()
            sock:settimeout(2000)
            sock:connect("127.0.0.1", peer.port)
            sock:close()
        end
        helper.collect()
        assert.equal(before, helper.socket_count())
    end)

    it("a refused connect leaks no descriptor", function()
        local port = helper.closed_port()
        helper.collect()
        local before = helper.socket_count()
        local sock = native.tcp()
        sock:connect("127.0.0.1", port)
        assert.equal(before, helper.socket_count())
    end)

    it("a peer reset leaks no descriptor once closed", function()
        local peer = helper.peer("sleep:100;reset")
        helper.collect()
        local before = helper.socket_count()
        local sock = native.tcp()
        sock:settimeout(2000)
        sock:connect("127.0.0.1", peer.port)
        sock:receive()
        sock:close()
        assert.equal(before, helper.socket_count())
    end)

    it("an argument error inside a method leaves the socket and its fd as they were", function()
        local sock = helper.connected("echo")
        local n = helper.socket_count()
        assert.has_error(function() sock:send({true}) end)
        assert.has_error(function() sock:receive("l") end)
        assert.equal(n, helper.socket_count())
        assert.returns({3}, sock:send("ok\n"))
        assert.returns({"ok"}, sock:receive())
        sock:close()
        assert.equal(n - 1, helper.socket_count())
    end)
end)
