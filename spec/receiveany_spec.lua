-- receiveany(max): whatever is there, at most max bytes.

local native = require "resty.luasocket.native"
local helper = require "helper"
local pack = helper.pack

describe("receiveany", function()
    it("returns what is buffered or arrives next, at most max bytes", function()
        -- the peer sends each word when we ask, so that none of them can
        -- join the one before, however slowly this process runs
        local sock = helper.connected("send:hello;recv:1;send:world;recv:1;send:!;close",
                                      {timeout = 400})
        assert.returns({"hel"}, sock:receiveany(3))
        assert.returns({"lo"}, sock:receiveany(100))
        assert.returns({1}, sock:send("1"))
        assert.returns({"world"}, sock:receiveany(100))
        assert.returns(pack(nil, "timeout", ""), sock:receiveany(100))
        sock:settimeout(2000)
        assert.returns({1}, sock:send("2"))
        assert.returns({"!"}, sock:receiveany(100))
        assert.returns(pack(nil, "closed", ""), sock:receiveany(100))
        assert.returns(pack(nil, "closed"), sock:receiveany(100))
        assert.returns({1}, sock:close())
    end)

    it("takes a number-like string and truncates fractions", function()
        local sock = helper.connected("send:abcdef;hold")
        helper.sleep(0.1)
        assert.returns({"abc"}, sock:receiveany("3"))
        assert.returns({"d"}, sock:receiveany(1.9))
        sock:close()
    end)

    it("a reset peer: connection reset by peer, then closed", function()
        local sock = helper.connected("recv:1;reset")
        assert.returns({1}, sock:send("x"))
        assert.returns(pack(nil, "connection reset by peer", ""), sock:receiveany(10))
        assert.returns(pack(nil, "closed"), sock:receiveany(10))
        assert.returns({1}, sock:close())
    end)

    it("a never connected or closed socket: nil, closed", function()
        local sock = native.tcp()
        assert.returns(pack(nil, "closed"), sock:receiveany(5))
        sock = helper.connected("hold")
        sock:close()
        assert.returns(pack(nil, "closed"), sock:receiveany(5))
    end)

    it("raises on a max below 1, a non-number or nil: bad max argument", function()
        local sock = helper.connected("hold")
        for _, max in ipairs({0, -1, 0.5, "x", "", {}}) do
            assert.error_matches(function() local _ = sock:receiveany(max) end,
                "bad argument #1 to 'receiveany' (bad max argument)", tostring(max))
        end
        assert.error_matches(function() local _ = sock:receiveany(nil) end,
            "bad argument #1 to 'receiveany' (bad max argument)")
        sock:close()
    end)

    it("raises on a wrong argument count", function()
        local sock = helper.connected("hold")
        assert.error_matches(function() local _ = sock:receiveany() end,
            "expecting 2 arguments (including the object), but got 1")
        assert.error_matches(function() local _ = sock:receiveany(1, 2) end,
            "expecting 2 arguments (including the object), but got 3")
        sock:close()
    end)
end)
