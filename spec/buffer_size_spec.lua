-- set_buffer_size(n): the read size of the native sockets made afterwards
-- (ngx_lua's lua_socket_buffer_size, for the native side). receiveany shows
-- it: it returns what one read into the buffer brings.

local socket = require "resty.luasocket"
local native = require "resty.luasocket.native"
local helper = require "helper"

local DEFAULT = 16384

describe("set_buffer_size", function()
    after_each(function() native.set_buffer_size(DEFAULT) end)

    it("is the module's and the front's", function()
        assert.equal(native.set_buffer_size, socket.set_buffer_size)
    end)

    it("sizes the reads of sockets made afterwards; older ones keep theirs", function()
        local before = helper.connected("flood:40000;hold")
        native.set_buffer_size(4096)
        local after = helper.connected("flood:40000;hold")
        helper.sleep(0.2)
        assert.equal(DEFAULT, #assert(before:receiveany(1e6)))
        assert.equal(4096, #assert(after:receiveany(1e6)))
        -- a read that asks for more still gets it all
        assert.equal(40000 - 4096, #assert(after:receive(40000 - 4096)))
        before:close()
        after:close()
    end)

    it("lines and sized reads longer than the buffer grow it as they must", function()
        native.set_buffer_size(512)
        local line = string.rep("a", 5000)
        local s = helper.connected("send:" .. line .. "\\r\\n;flood:3000;send:tail;hold")
        assert.returns({line}, s:receive())
        assert.equal(3000, #assert(s:receive(3000)))
        assert.returns({"tail"}, s:receive(4))
        s:close()
    end)

    it("keeps its size across close and connect", function()
        native.set_buffer_size(1024)
        local peer = helper.peer("flood:5000;hold")
        local s = native.tcp()
        s:settimeout(2000)
        for _ = 1, 2 do
            assert.returns({1}, s:connect("127.0.0.1", peer.port))
            helper.sleep(0.1)
            assert.equal(1024, #assert(s:receiveany(1e6)))
            assert.returns({1}, s:close())
        end
    end)

    it("takes 512 bytes to 64 MiB; anything else raises", function()
        native.set_buffer_size(512)
        native.set_buffer_size(64 * 1024 * 1024)
        for _, bad in ipairs({511, 0, -1, 64 * 1024 * 1024 + 1, 0 / 0, math.huge}) do
            assert.error_matches(function() native.set_buffer_size(bad) end,
                                 "buffer size must be 512 to 67108864 bytes")
        end
        assert.error_matches(function() native.set_buffer_size("x") end, "number expected")
        assert.error_matches(function() native.set_buffer_size() end, "number expected")
    end)
end)
