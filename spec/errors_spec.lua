-- Bad arguments raise Lua errors with ngx_lua's messages, never crash.

local native = require "resty.luasocket.native"
local helper = require "helper"
local pack = helper.pack

describe("errors", function()
    it("tcp() takes no arguments", function()
        assert.error_matches(function() local _ = native.tcp(1) end,
            "expecting zero arguments, but got 1")
    end)

    it("every method raises on a self that is not a socket", function()
        local sock = native.tcp()
        local calls = {
            connect = {"127.0.0.1", 1}, send = {"x"}, receive = {}, receiveany = {1},
            receiveuntil = {"x"}, close = {}, settimeout = {1}, settimeouts = {1, 1, 1},
            setoption = {"keepalive", true}, bind = {"127.0.0.1"}, getfd = {},
        }
        for name, args in pairs(calls) do
            local fn = sock[name]
            assert.is_type("function", fn, name)
            for _, self in ipairs({"x", 1, {}}) do
                local unpack = table.unpack or unpack
                assert.error_matches(function() local _ = fn(self, unpack(args)) end,
                    "bad argument #1", name .. " on a " .. type(self))
            end
        end
    end)

    it("a table given the socket's metatable is no socket either", function()
        -- under LuaJIT the FFI path must leave it to tcp.c's check, not
        -- hand it to an FFI call (which would raise its own message)
        local sock = native.tcp()
        local fake = setmetatable({}, native.tcp_mt)
        local calls = {
            send = {"x"}, receive = {}, receiveany = {1}, receiveuntil = {"x"},
            settimeout = {1}, settimeouts = {1, 1, 1}, getreusedtimes = {},
        }
        for name, args in pairs(calls) do
            local unpack = table.unpack or unpack
            assert.error_matches(function() local _ = sock[name](fake, unpack(args)) end,
                "(resty.luasocket.tcp expected, got ", name)
        end
    end)

    it("a table given the socket's metatable is collected quietly", function()
        -- Lua 5.2+ runs the metatable's __gc on it: were that to raise,
        -- the error would come out of whatever allocation ran the collector
        local fake = setmetatable({}, native.tcp_mt)
        assert.equal(native.tcp_mt, getmetatable(fake))
        fake = nil -- luacheck: ignore 311
        assert.is_true(pcall(collectgarbage))
        assert.is_true(pcall(collectgarbage))
        -- nor does a direct call with something else do anything
        assert.is_true(pcall(native.tcp_mt.__gc, {}))
        assert.is_true(pcall(native.tcp_mt.__gc, 1))
    end)

    it("close() counts its arguments", function()
        local sock = native.tcp()
        assert.error_matches(function() local _ = sock:close(1) end,
            "expecting 1 argument (including the object) but seen 2")
        assert.error_matches(function() local _ = sock.close() end,
            "expecting 1 argument (including the object) but seen 0")
    end)

    it("close() on a never connected or closed socket: nil, closed", function()
        local sock = native.tcp()
        assert.returns(pack(nil, "closed"), sock:close())
        sock = helper.connected("hold")
        assert.returns({1}, sock:close())
        assert.returns(pack(nil, "closed"), sock:close())
    end)

    it("a socket's metatable is native.tcp_mt", function()
        assert.equal(native.tcp_mt, getmetatable(native.tcp()))
    end)
end)
