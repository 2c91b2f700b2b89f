-- send(): what it accepts, how it formats numbers, and its errors.

local native = require "resty.luasocket.native"
local helper = require "helper"
local pack = helper.pack

-- send data to an echoing peer and read back exactly n bytes
local function roundtrip(sock, data, n)
    local sent = pack(sock:send(data))
    local back = n > 0 and sock:receive(n) or ""
    return sent, back
end

describe("send", function()
    it("sends a string and returns the byte count", function()
        local sock = helper.connected("echo")
        local sent, back = roundtrip(sock, "abc", 3)
        assert.equal(pack(3), sent)
        assert.equal("abc", back)
        sock:close()
    end)

    it("sends an empty string, an empty table and nested empties: 0", function()
        local sock = helper.connected("echo")
        assert.returns({0}, sock:send(""))
        assert.returns({0}, sock:send({}))
        assert.returns({0}, sock:send({{}, ""}))
        sock:close()
    end)

    it("sends integral numbers that fit an int as %d, floats included", function()
        local sock = helper.connected("echo")
        for _, c in ipairs({{3.0, "3"}, {-0.0, "0"}, {-2 ^ 31, "-2147483648"}}) do
            local sent, back = roundtrip(sock, c[1], #c[2])
            assert.equal(pack(#c[2]), sent, tostring(c[1]))
            assert.equal(c[2], back, tostring(c[1]))
        end
        local sent, back = roundtrip(sock, 42, 2)
        assert.equal(pack(2), sent)
        assert.equal("42", back)
        sent, back = roundtrip(sock, -7, 2)
        assert.equal(pack(2), sent)
        assert.equal("-7", back)
        sock:close()
    end)

    it("sends other numbers as %.14g", function()
        local sock = helper.connected("echo")
        local cases = {
            {1.5, "1.5"}, {0.1, "0.1"}, {1e100, "1e+100"},
            {2 ^ 53, "9.007199254741e+15"}, {2 ^ 31, "2147483648"},
            {1e15, "1e+15"}, {0.1 + 0.2, "0.3"}, {-1.25e-7, "-1.25e-07"},
        }
        for _, c in ipairs(cases) do
            local sent, back = roundtrip(sock, c[1], #c[2])
            assert.equal(pack(#c[2]), sent, tostring(c[1]))
            assert.equal(c[2], back, tostring(c[1]))
        end
        sock:close()
    end)

    it("sends a nested array table flattened: {1, 2, {3}} is 123", function()
        local sock = helper.connected("echo")
        local sent, back = roundtrip(sock, {1, 2, {3}}, 3)
        assert.equal(pack(3), sent)
        assert.equal("123", back)
        sent, back = roundtrip(sock, {"a", {"b", {"c", 4.25}}, "d"}, 8)
        assert.equal(pack(8), sent)
        assert.equal("abc4.25d", back)
        sock:close()
    end)

    it("sends booleans and nil as their names", function()
        local sock = helper.connected("echo")
        local sent, back = roundtrip(sock, true, 4)
        assert.equal(pack(4), sent)
        assert.equal("true", back)
        sent, back = roundtrip(sock, false, 5)
        assert.equal(pack(5), sent)
        assert.equal("false", back)
        sent, back = roundtrip(sock, nil, 3)
        assert.equal(pack(3), sent)
        assert.equal("nil", back)
        sock:close()
    end)

    it("sends a large string whole", function()
        local data = string.rep("0123456789abcdef", 65536)
        local sock = helper.connected("recv:" .. #data .. ";send:ok\\n")
        assert.returns({#data}, sock:send(data))
        assert.equal("ok", sock:receive())
        sock:close()
    end)

    it("raises on a boolean inside a table", function()
        local sock = helper.connected("echo")
        assert.error_matches(function() local _ = sock:send({true}) end,
            "bad argument #1 to 'send' (bad data type boolean found)")
        assert.error_matches(function() local _ = sock:send({{false}}) end,
            "(bad data type boolean found)")
        sock:close()
    end)

    it("raises on a hole in an array table", function()
        local sock = helper.connected("echo")
        assert.error_matches(function() local _ = sock:send({[1] = "a", [3] = "b"}) end,
            "(bad data type nil found)")
        sock:close()
    end)

    it("a key of 2^31 or more is a hole below it, not a buffer overrun (found by fuzz/payload)", function()
        -- ngx_lua 0.10.23 casts such a key to int, counts 0 bytes and
        -- sends nothing (returns 0): the data is lost without a word
        local sock = helper.connected("echo")
        for _, k in ipairs({2^31, 2^40, 2^63, 1e300, math.huge}) do
            assert.error_matches(function()
                local _ = sock:send({string.rep("a", 100), string.rep("b", 100), [k] = "x"})
            end, "(bad data type nil found)")
        end
        assert.returns({2}, sock:send({"o", "k"}))
        assert.equal("ok", sock:receive(2))
        sock:close()
    end)

    it("raises on a table with non-array keys", function()
        local sock = helper.connected("echo")
        assert.error_matches(function() local _ = sock:send({x = "a"}) end,
            "(non-array table found)")
        assert.error_matches(function() local _ = sock:send({"a", x = "b"}) end,
            "(non-array table found)")
        sock:close()
    end)

    it("raises on a function, at the top or inside a table", function()
        local sock = helper.connected("echo")
        assert.error_matches(function() local _ = sock:send(print) end,
            "(string, number, boolean, nil, or array table expected, got function)")
        assert.error_matches(function() local _ = sock:send({print}) end,
            "(bad data type function found)")
        sock:close()
    end)

    it("raises on a wrong argument count", function()
        local sock = helper.connected("echo")
        assert.error_matches(function() local _ = sock:send() end,
            "expecting 2 arguments (including the object), but got 1")
        assert.error_matches(function() local _ = sock:send("a", "b") end,
            "expecting 2 arguments (including the object), but got 3")
        sock:close()
    end)

    it("a never connected socket: nil, closed", function()
        local sock = native.tcp()
        assert.returns(pack(nil, "closed"), sock:send("x"))
    end)

    it("a closed socket: nil, closed", function()
        local sock = helper.connected("hold")
        assert.returns({1}, sock:close())
        assert.returns(pack(nil, "closed"), sock:send("x"))
    end)

    it("after the peer's FIN: send still works and close returns 1", function()
        local sock = helper.connected("close")
        assert.returns(pack(nil, "closed", ""), sock:receive())
        assert.returns({1}, sock:send("x"))
        assert.returns({1}, sock:close())
    end)

    it("to a peer that reset: connection reset by peer, then closed", function()
        local sock = helper.connected("sleep:100;reset")
        helper.sleep(0.4)   -- the RST has arrived
        assert.returns(pack(nil, "connection reset by peer"), sock:send("abc"))
        assert.returns(pack(nil, "closed"), sock:send("abc"))
        -- only the write half is closed: close() still has work to do
        assert.returns({1}, sock:close())
    end)

    it("to a peer that closed: the second send gets broken pipe", function()
        local sock = helper.connected("close")
        helper.sleep(0.2)
        assert.returns({3}, sock:send("abc"))      -- the peer answers it with RST
        helper.sleep(0.2)
        assert.returns(pack(nil, "broken pipe"), sock:send("abc"))
        assert.returns(pack(nil, "closed"), sock:send("abc"))
        assert.returns({1}, sock:close())
    end)

    it("a send error closes both halves: receive says closed too", function()
        local sock = helper.connected("sleep:100;reset")
        helper.sleep(0.4)   -- the RST has arrived
        assert.returns(pack(nil, "connection reset by peer"), sock:send("abc"))
        assert.returns(pack(nil, "closed", ""), sock:receive())
    end)

    it("to a peer that does not read: timeout, then closed for sending only", function()
        local sock = helper.connected("sleep:5000", {timeout = 200})
        local big = string.rep("x", 16 * 1024 * 1024)
        assert.returns(pack(nil, "timeout"), sock:send(big))
        assert.returns(pack(nil, "closed"), sock:send("x"))
        -- ngx_lua keeps the read half: receive waits and times out
        assert.returns(pack(nil, "timeout", ""), sock:receive())
        assert.returns({1}, sock:close())
    end)
end)
