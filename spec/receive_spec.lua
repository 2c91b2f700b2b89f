-- receive(): lines, '*a', sizes, 0, partial data on close and on timeout,
-- and the patterns ngx_lua rejects.

local native = require "resty.luasocket.native"
local helper = require "helper"
local pack = helper.pack

describe("receive", function()
    it("'*l' (the default) strips LF and drops every CR", function()
        local sock = helper.connected("send:ab\\r\\ncd\\r\\r\\n\\r\\n\\nef\\rg\\n;hold")
        assert.returns({"ab"}, sock:receive())
        assert.returns({"cd"}, sock:receive("*l"))
        assert.returns({""}, sock:receive())
        assert.returns({""}, sock:receive())
        assert.returns({"efg"}, sock:receive("*l"))
        sock:close()
    end)

    it("'*l' waits for a line dripped a byte at a time", function()
        local sock = helper.connected("drip:5:hello world\\n;hold")
        assert.returns({"hello world"}, sock:receive())
        sock:close()
    end)

    it("a size reads exactly that many bytes", function()
        local sock = helper.connected("send:hello world\\n;hold")
        assert.returns({"hello"}, sock:receive(5))
        assert.returns({" world"}, sock:receive(6))
        assert.returns({"\n"}, sock:receive(1))
        sock:close()
    end)

    it("a number-like string is a size; fractions are truncated", function()
        local sock = helper.connected("send:123456789012;hold")
        assert.returns({"12345"}, sock:receive("5"))
        assert.returns({"678"}, sock:receive(" 3"))
        assert.returns({"90"}, sock:receive(2.9))
        assert.returns({"12"}, sock:receive("2.9"))
        sock:close()
    end)

    it("sizes below 1 after truncation read nothing", function()
        local sock = helper.connected("send:abc;hold")
        assert.returns({""}, sock:receive(0.5))
        assert.returns({""}, sock:receive(-0.5))
        assert.returns({"a"}, sock:receive(1.9))
        sock:close()
    end)

    it("receive(0) returns \"\" with or without data waiting", function()
        local sock = helper.connected("sleep:200;send:x;hold")
        assert.returns({""}, sock:receive(0))
        assert.returns({""}, sock:receive("0"))
        assert.returns({"x"}, sock:receive(1))
        assert.returns({""}, sock:receive(0))
        sock:close()
    end)

    it("'*a' reads until the peer closes, then returns \"\"", function()
        local sock = helper.connected("send:one\\ntwo;sleep:50;send: three;close")
        assert.returns({"one"}, sock:receive())
        assert.returns({"two three"}, sock:receive("*a"))
        assert.returns({""}, sock:receive("*a"))
        assert.returns({""}, sock:receive("*a"))
        sock:close()
    end)

    it("'*a' of a large stream", function()
        local sock = helper.connected("flood:300000;close")
        local data = sock:receive("*a")
        assert.equal(300000, #data)
        assert.truthy(not data:find("[^x]"))
        sock:close()
    end)

    it("a large size read", function()
        local sock = helper.connected("flood:100000;close")
        local data = sock:receive(60000)
        assert.equal(60000, #data)
        assert.equal(40000, #sock:receive("*a"))
        sock:close()
    end)

    it("after '*a' hit EOF, a line read says closed once with \"\"", function()
        local sock = helper.connected("send:x;close")
        assert.returns({"x"}, sock:receive("*a"))
        assert.returns({""}, sock:receive(0))
        assert.returns(pack(nil, "closed", ""), sock:receive())
        assert.returns(pack(nil, "closed"), sock:receive(1))
        assert.returns({1}, sock:close())
    end)

    it("a close mid-line gives nil, closed and the partial line", function()
        local sock = helper.connected("send:abc;close")
        assert.returns(pack(nil, "closed", "abc"), sock:receive())
        assert.returns(pack(nil, "closed"), sock:receive())
        assert.returns(pack(nil, "closed"), sock:receive(0))
        assert.returns({1}, sock:close())
        assert.returns(pack(nil, "closed"), sock:close())
    end)

    it("a close before the size is complete gives the partial data", function()
        local sock = helper.connected("send:abc;close")
        assert.returns(pack(nil, "closed", "abc"), sock:receive(5))
        sock:close()
    end)

    it("after the peer's EOF a send still works", function()
        local sock = helper.connected("close")
        assert.returns(pack(nil, "closed", ""), sock:receive())
        assert.returns({1}, sock:send("x"))
        assert.returns({1}, sock:close())
    end)

    it("a line timeout gives the partial line and keeps the connection", function()
        local sock = helper.connected("send:part;sleep:800;send:ial\\nmore\\n;hold", {timeout = 200})
        assert.returns(pack(nil, "timeout", "part"), sock:receive())
        assert.returns(pack(nil, "timeout", ""), sock:receive())
        sock:settimeout(2000)
        -- the partial data was returned, so it is consumed
        assert.returns({"ial"}, sock:receive())
        assert.returns({"more"}, sock:receive())
        sock:close()
    end)

    it("a size timeout gives the partial data and keeps the connection", function()
        local sock = helper.connected("send:abc;sleep:500;send:defgh;hold", {timeout = 200})
        assert.returns(pack(nil, "timeout", "abc"), sock:receive(5))
        sock:settimeout(2000)
        assert.returns({"defgh"}, sock:receive(5))
        sock:close()
    end)

    it("a '*a' timeout gives the partial data and keeps the connection", function()
        local sock = helper.connected("send:abc;sleep:500;send:def;close", {timeout = 200})
        assert.returns(pack(nil, "timeout", "abc"), sock:receive("*a"))
        sock:settimeout(2000)
        assert.returns({"def"}, sock:receive("*a"))
        sock:close()
    end)

    it("a reset peer: connection reset by peer, then closed", function()
        local sock = helper.connected("sleep:100;reset")
        assert.returns(pack(nil, "connection reset by peer", ""), sock:receive())
        assert.returns(pack(nil, "closed"), sock:receive())
        assert.returns(pack(nil, "closed"), sock:receive("*a"))
        -- ngx_lua closes only the read half on a read error
        assert.returns({1}, sock:close())
    end)

    it("a reset peer during '*a'", function()
        local sock = helper.connected("sleep:100;reset")
        assert.returns(pack(nil, "connection reset by peer", ""), sock:receive("*a"))
        assert.returns({1}, sock:close())
    end)

    it("a never connected socket: nil, closed", function()
        local sock = native.tcp()
        assert.returns(pack(nil, "closed"), sock:receive())
        assert.returns(pack(nil, "closed"), sock:receive(5))
    end)

    it("a closed socket: nil, closed", function()
        local sock = helper.connected("send:abc\\n;hold")
        sock:close()
        assert.returns(pack(nil, "closed"), sock:receive())
    end)

    it("rejects LuaSocket's 'l' and 'a' as ngx_lua does", function()
        local sock = helper.connected("hold")
        assert.error_matches(function() local _ = sock:receive("l") end,
            "bad argument #1 to 'receive' (bad pattern argument: l)")
        assert.error_matches(function() local _ = sock:receive("a") end,
            "bad argument #1 to 'receive' (bad pattern argument: a)")
        sock:close()
    end)

    it("rejects other strings with the pattern in the message", function()
        local sock = helper.connected("hold")
        for _, p in ipairs({"x", "", "*", "**l", "*l ", "*line", "*all", "2abc"}) do
            assert.error_matches(function() local _ = sock:receive(p) end,
                "bad argument #1 to 'receive' (bad pattern argument: " .. p .. ")")
        end
        sock:close()
    end)

    it("rejects '*X', negative sizes and non-strings without the pattern", function()
        local sock = helper.connected("hold")
        local bad = {"*L", "*x", "-1", -1, {}, true, false}
        for _, p in ipairs(bad) do
            assert.error_matches(function() local _ = sock:receive(p) end,
                "bad argument #1 to 'receive' (bad pattern argument)", tostring(p))
        end
        assert.error_matches(function() local _ = sock:receive(nil) end,
            "bad argument #1 to 'receive' (bad pattern argument)")
        sock:close()
    end)

    it("raises on too many arguments", function()
        local sock = helper.connected("hold")
        assert.error_matches(function() local _ = sock:receive(1, 2) end,
            "expecting 1 or 2 arguments (including the object), but got 3")
        sock:close()
    end)
end)
