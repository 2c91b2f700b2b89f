-- settimeout / settimeouts: values, defaults, errors, and that a stalled
-- peer makes the call return "timeout" (every wait bounded).

local native = require "resty.luasocket.native"
local helper = require "helper"
local pack = helper.pack

describe("timeouts", function()
    it("settimeout and settimeouts return nothing", function()
        local sock = native.tcp()
        assert.returns(pack(), sock:settimeout(100))
        assert.returns(pack(), sock:settimeouts(100, 200, 300))
    end)

    it("a stalled peer: receive returns timeout", function()
        local sock = helper.connected("hold", {timeout = 200})
        local t0 = helper.now()
        assert.returns(pack(nil, "timeout", ""), sock:receive())
        assert.truthy(helper.now() - t0 < 10, "returned within bounds")
        sock:close()
    end)

    it("the timeout bounds the whole read, not each syscall", function()
        -- a byte every 100 ms for a second: no single wait times out
        local sock = helper.connected("drip:100:abcdefghij\\n;hold", {timeout = 400})
        local line, err, partial = sock:receive()
        assert.is_nil(line)
        assert.equal("timeout", err)
        assert.truthy(("abcdefghij"):sub(1, #partial) == partial and #partial < 10,
                      "partial is a proper prefix: " .. tostring(partial))
        sock:close()
    end)

    it("settimeouts sets the read timeout third", function()
        local sock = helper.connected("hold")
        sock:settimeouts(2000, 2000, 200)
        assert.returns(pack(nil, "timeout", ""), sock:receive(1))
        sock:close()
    end)

    it("settimeouts sets the send timeout second", function()
        local sock = helper.connected("sleep:5000")
        sock:settimeouts(2000, 200, 2000)
        assert.returns(pack(nil, "timeout"), sock:send(string.rep("x", 16 * 1024 * 1024)))
        sock:close()
    end)

    it("settimeout applies before connect too", function()
        local peer = helper.peer("hold")
        local sock = native.tcp()
        sock:settimeout(200)
        assert.returns({1}, sock:connect("127.0.0.1", peer.port))
        assert.returns(pack(nil, "timeout", ""), sock:receive())
        sock:close()
    end)

    it("settimeout(0) and settimeout(nil) restore the 60 s default", function()
        local sock = helper.connected("sleep:300;send:late\\n;sleep:300;send:later\\n;hold")
        sock:settimeout(0)
        assert.returns({"late"}, sock:receive())
        sock:settimeout(100)
        sock:settimeout(nil)
        assert.returns({"later"}, sock:receive())
        sock:close()
    end)

    it("settimeouts(0, 0, 0) restores the defaults", function()
        local sock = helper.connected("sleep:300;send:late\\n;hold")
        sock:settimeouts(0, 0, 0)
        assert.returns({"late"}, sock:receive())
        sock:close()
    end)

    it("a read timeout keeps the connection usable", function()
        local sock = helper.connected("sleep:500;send:x\\n;recvline;send:y\\n;hold", {timeout = 200})
        assert.returns(pack(nil, "timeout", ""), sock:receive())
        sock:settimeout(2000)
        assert.returns({"x"}, sock:receive())
        assert.returns({2}, sock:send("a\n"))
        assert.returns({"y"}, sock:receive())
        sock:close()
    end)

    it("number-like strings and non-numbers are taken, not rejected", function()
        local sock = native.tcp()
        assert.no_error(function() sock:settimeout("100") end)
        assert.no_error(function() sock:settimeout("abc") end)
        assert.no_error(function() sock:settimeout(1.5) end)
        assert.no_error(function() sock:settimeout(2 ^ 31 - 1) end)
    end)

    it("raises bad timeout value on negative or too large values", function()
        local sock = native.tcp()
        assert.has_error(function() sock:settimeout(-1) end, "bad timeout value")
        assert.has_error(function() sock:settimeout(2 ^ 31) end, "bad timeout value")
        assert.has_error(function() sock:settimeouts(-1, 2, 3) end, "bad timeout value")
        assert.has_error(function() sock:settimeouts(1, -2, 3) end, "bad timeout value")
        assert.has_error(function() sock:settimeouts(1, 2, -3) end, "bad timeout value")
    end)

    it("raises on a wrong argument count", function()
        local sock = native.tcp()
        assert.error_matches(function() sock:settimeout() end,
            "ngx.socket settimeout: expecting 2 arguments (including the object) but seen 1")
        assert.error_matches(function() sock:settimeout(1, 2) end,
            "ngx.socket settimeout: expecting 2 arguments (including the object) but seen 3")
        assert.error_matches(function() sock:settimeouts(1, 2) end,
            "ngx.socket settimeout: expecting 4 arguments (including the object) but seen 3")
        assert.error_matches(function() sock:settimeouts(1, 2, 3, 4) end,
            "ngx.socket settimeout: expecting 4 arguments (including the object) but seen 5")
    end)
end)
