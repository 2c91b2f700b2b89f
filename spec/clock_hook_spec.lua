-- native.set_clock_hook(fn): fn runs after every method that waited.

local native = require "resty.luasocket.native"
local helper = require "helper"

describe("set_clock_hook", function()
    after_each(function() native.set_clock_hook(nil) end)

    it("calls the hook after a receive that waited", function()
        local sock = helper.connected("sleep:100;send:x\\n;hold")
        local calls = 0
        native.set_clock_hook(function() calls = calls + 1 end)
        assert.returns({"x"}, sock:receive())
        assert.truthy(calls >= 1, "called " .. calls .. " times")
        sock:close()
    end)

    it("calls the hook after connect and send", function()
        local peer = helper.peer("hold")
        local calls = 0
        native.set_clock_hook(function() calls = calls + 1 end)
        local sock = native.tcp()
        sock:settimeout(2000)
        sock:connect("127.0.0.1", peer.port)
        local after_connect = calls
        sock:send("x")
        assert.truthy(after_connect >= 1, "connect called it " .. after_connect .. " times")
        assert.truthy(calls > after_connect, "send called it")
        sock:close()
    end)

    it("nil removes the hook", function()
        local sock = helper.connected("sleep:50;send:x\\n;hold")
        local calls = 0
        native.set_clock_hook(function() calls = calls + 1 end)
        native.set_clock_hook(nil)
        assert.returns({"x"}, sock:receive())
        assert.equal(0, calls)
        sock:close()
    end)
end)
