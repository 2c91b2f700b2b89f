-- setoption, bind, getfd, tostring.

local native = require "resty.luasocket.native"
local helper = require "helper"
local pack = helper.pack

describe("setoption", function()
    it("answers true for every supported option", function()
        local sock = helper.connected("hold")
        assert.returns({true}, sock:setoption("keepalive", true))
        assert.returns({true}, sock:setoption("keepalive", false))
        assert.returns({true}, sock:setoption("keepalive", 1))
        assert.returns({true}, sock:setoption("reuseaddr", 1))
        assert.returns({true}, sock:setoption("tcp-nodelay", true))
        assert.returns({true}, sock:setoption("sndbuf", 65536))
        assert.returns({true}, sock:setoption("rcvbuf", 65536))
        sock:close()
    end)

    it("the socket still works after setting options", function()
        local sock = helper.connected("echo")
        sock:setoption("tcp-nodelay", true)
        sock:setoption("sndbuf", 8192)
        sock:setoption("rcvbuf", 8192)
        assert.returns({4}, sock:send("abc\n"))
        assert.returns({"abc"}, sock:receive())
        sock:close()
    end)

    it("an unsupported option: nil, unsupported option X", function()
        local sock = helper.connected("hold")
        assert.returns(pack(nil, "unsupported option foo"), sock:setoption("foo", 1))
        assert.returns(pack(nil, "unsupported option linger"), sock:setoption("linger", 1))
        assert.returns(pack(nil, "unsupported option 1"), sock:setoption(1, 1))
        sock:close()
    end)

    it("missing option or value", function()
        local sock = helper.connected("hold")
        assert.returns(pack(nil, 'missing the "option" argument'), sock:setoption())
        assert.returns(pack(nil, 'missing the "option" argument'), sock:setoption(nil, 1))
        assert.returns(pack(nil, 'missing the "value" argument'), sock:setoption("keepalive"))
        assert.returns(pack(nil, 'missing the "value" argument'), sock:setoption("keepalive", nil))
        sock:close()
    end)

    it("on a closed socket: nil, closed", function()
        local sock = helper.connected("hold")
        sock:close()
        assert.returns(pack(nil, "closed"), sock:setoption("keepalive", true))
    end)

    it("on a never connected socket: raises socket is never created nor connected", function()
        local sock = native.tcp()
        assert.error_matches(function() local _ = sock:setoption("keepalive", true) end,
            "socket is never created nor connected")
    end)
end)

describe("bind", function()
    it("binds a local IPv4 address before connect", function()
        local peer = helper.peer("send:hi\\n;hold")
        local sock = native.tcp()
        sock:settimeout(2000)
        assert.returns({true}, sock:bind("127.0.0.1"))
        assert.returns({1}, sock:connect("127.0.0.1", peer.port))
        assert.equal("hi", sock:receive())
        sock:close()
    end)

    it("takes effect: an IPv6 bind cannot reach an IPv4 peer", function()
        local peer = helper.peer("send:hi\\n;hold")
        local sock = native.tcp()
        sock:settimeout(2000)
        assert.returns({true}, sock:bind("::1"))
        assert.returns(pack(nil, "address family not supported by protocol"),
                       sock:connect("127.0.0.1", peer.port))
    end)

    -- bind takes IP literals only: no names, no brackets
    for _, addr in ipairs({"not-an-ip", "localhost", "[::1]", 123}) do
        it("a bad address " .. addr .. ": nil, bad address", function()
            assert.returns(pack(nil, "bad address"), native.tcp():bind(addr))
        end)
    end

    -- ngx_lua's parser sees the whole string and refuses it; a C string
    -- would have been 127.0.0.1
    it("an address with a NUL byte: nil, bad address; the last good bind stays", function()
        local peer = helper.peer("send:hi\\n;hold")
        local sock = native.tcp()
        sock:settimeout(2000)
        assert.returns({true}, sock:bind("::1"))
        for _, addr in ipairs({"127.0.0.1\0junk", "127.0.0.1\0", "\0", "::1\0x"}) do
            assert.returns(pack(nil, "bad address"), sock:bind(addr))
        end
        -- still bound to ::1, as ngx_lua keeps the address it had
        assert.returns(pack(nil, "address family not supported by protocol"),
                       sock:connect("127.0.0.1", peer.port))
    end)

    it("raises on bad arguments", function()
        local sock = native.tcp()
        assert.error_matches(function() local _ = sock:bind() end,
            "expecting 2 arguments, but got 1")
        assert.error_matches(function() local _ = sock:bind("127.0.0.1", 0) end,
            "expecting 2 arguments, but got 3")
        assert.error_matches(function() local _ = sock:bind(nil) end,
            "bad argument #1 to 'bind' (string expected, got nil)")
        assert.error_matches(function() local _ = sock:bind({}) end,
            "bad argument #1 to 'bind' (string expected, got table)")
    end)
end)

describe("getfd", function()
    it("returns the open descriptor of a connected socket, and it closes", function()
        local sock = helper.connected("hold")
        local fd = sock:getfd()
        assert.is_number(fd)
        assert.truthy(fd >= 0)
        assert.is_true(helper.fd_open(fd))
        sock:close()
        assert.is_nil((sock:getfd()))
    end)
end)

describe("tostring", function()
    it("names the type and the peer", function()
        local sock, peer = helper.connected("hold")
        local s = tostring(sock)
        assert.is_string(s)
        assert.matches("tcp", s)
        assert.matches("127.0.0.1", s)
        assert.matches(tostring(peer.port), s)
        sock:close()
        assert.is_string(tostring(sock))
        assert.is_string(tostring(native.tcp()))
    end)
end)
