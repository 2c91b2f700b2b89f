-- connect(): addresses, unix sockets, failures and argument errors, as
-- ngx_lua's cosocket answers them.

local native = require "resty.luasocket.native"
local helper = require "helper"
local pack = helper.pack

local function fresh()
    local sock = native.tcp()
    sock:settimeout(2000)
    return sock
end

describe("connect", function()
    it("connects to an IPv4 literal and returns 1", function()
        local peer = helper.peer("send:hi\\n;hold")
        local sock = fresh()
        assert.returns({1}, sock:connect("127.0.0.1", peer.port))
        assert.equal("hi", sock:receive())
        sock:close()
    end)

    it("connects to a bracketed IPv6 literal [::1]", function()
        local peer = helper.peer("send:v6\\n;hold", {host = "::1"})
        local sock = fresh()
        assert.returns({1}, sock:connect("[::1]", peer.port))
        assert.equal("v6", sock:receive())
        sock:close()
    end)

    it("rejects a bare ::1 as ngx_lua does (the port parse fails)", function()
        local sock = fresh()
        assert.returns(pack(nil, 'failed to parse host name "::1": invalid port'),
                       sock:connect("::1", 80))
    end)

    -- ngx_lua needs a `resolver` directive here; the native socket uses the
    -- system resolver (SPEC 3), so /etc/hosts' localhost works
    it("resolves localhost with the system resolver", function()
        local peer = helper.peer("send:local\\n;hold")
        local sock = fresh()
        assert.returns({1}, sock:connect("localhost", peer.port))
        assert.equal("local", sock:receive())
        sock:close()
    end)

    it("connects to a unix socket", function()
        local peer = helper.peer("send:unix\\n;hold", {unix = true})
        local sock = fresh()
        assert.returns({1}, sock:connect("unix:" .. peer.path))
        assert.equal("unix", sock:receive())
        sock:close()
    end)

    it("ignores a port or an options table after a unix path", function()
        local peer = helper.peer("send:unix\\n;hold", {unix = true})
        local sock = fresh()
        assert.returns({1}, sock:connect("unix:" .. peer.path, 80))
        assert.equal("unix", sock:receive())
        sock:close()
        sock = fresh()
        assert.returns({1}, sock:connect("unix:" .. peer.path, {}))
        assert.equal("unix", sock:receive())
        sock:close()
    end)

    it("a missing unix socket: no such file or directory", function()
        local sock = fresh()
        assert.returns(pack(nil, "no such file or directory"),
                       sock:connect("unix:/tmp/luasocket-spec-none/x.sock"))
    end)

    it("a unix path that is not a socket: connection refused", function()
        local path = os.tmpname()
        local sock = fresh()
        local r = pack(sock:connect("unix:" .. path))
        os.remove(path)
        assert.equal(pack(nil, "connection refused"), r)
    end)

    it("an empty unix path", function()
        local sock = fresh()
        assert.returns(pack(nil, 'failed to parse host name "unix:": no path in the unix domain socket'),
                       sock:connect("unix:"))
    end)

    it("an empty host", function()
        local sock = fresh()
        assert.returns(pack(nil, 'failed to parse host name "": no host'), sock:connect("", 80))
    end)

    it("a closed port: connection refused", function()
        local port = helper.closed_port()
        local sock = fresh()
        assert.returns(pack(nil, "connection refused"), sock:connect("127.0.0.1", port))
    end)

    it("after a failed connect every call says closed", function()
        local port = helper.closed_port()
        local sock = fresh()
        sock:connect("127.0.0.1", port)
        assert.returns(pack(nil, "closed"), sock:receive())
        assert.returns(pack(nil, "closed"), sock:send("x"))
        assert.returns(pack(nil, "closed"), sock:close())
    end)

    it("bad port number: 65536", function()
        local sock = fresh()
        assert.returns(pack(nil, "bad port number: 65536"), sock:connect("127.0.0.1", 65536))
    end)

    it("bad port number: -1", function()
        local sock = fresh()
        assert.returns(pack(nil, "bad port number: -1"), sock:connect("127.0.0.1", -1))
    end)

    it("missing the port number", function()
        local sock = fresh()
        assert.returns(pack(nil, "missing the port number"), sock:connect("127.0.0.1"))
        assert.returns(pack(nil, "missing the port number"), sock:connect("127.0.0.1", nil))
        assert.returns(pack(nil, "missing the port number"), sock:connect("127.0.0.1", "abc"))
        assert.returns(pack(nil, "missing the port number"), sock:connect("127.0.0.1", {}))
    end)

    it("takes a number-like string port and truncates a fractional one", function()
        local peer = helper.peer("send:hi\\n;hold")
        local sock = fresh()
        assert.returns({1}, sock:connect("127.0.0.1", tostring(peer.port)))
        assert.equal("hi", sock:receive())
        assert.returns({1}, sock:connect("127.0.0.1", peer.port + 0.7))
        assert.equal("hi", sock:receive())
        sock:close()
    end)

    it("takes an options table and ignores a non-table third argument", function()
        local peer = helper.peer("send:hi\\n;hold")
        local sock = fresh()
        assert.returns({1}, sock:connect("127.0.0.1", peer.port, {}))
        assert.equal("hi", sock:receive())
        assert.returns({1}, sock:connect("127.0.0.1", peer.port, nil))
        assert.equal("hi", sock:receive())
        sock:close()
    end)

    it("connecting a connected socket closes the old connection first", function()
        local peer = helper.peer("send:hi\\n;hold")
        local sock = fresh()
        assert.returns({1}, sock:connect("127.0.0.1", peer.port))
        local n = helper.socket_count()
        assert.returns({1}, sock:connect("127.0.0.1", peer.port))
        assert.equal(n, helper.socket_count())
        assert.equal("hi", sock:receive())
        sock:close()
    end)

    it("a closed socket can connect again", function()
        local peer = helper.peer("send:hi\\n;hold")
        local sock = fresh()
        assert.returns({1}, sock:connect("127.0.0.1", peer.port))
        assert.returns({1}, sock:close())
        assert.returns({1}, sock:connect("127.0.0.1", peer.port))
        assert.equal("hi", sock:receive())
        sock:close()
    end)

    it("raises on a wrong argument count", function()
        local sock = fresh()
        assert.error_matches(function() local _ = sock:connect() end,
            "expecting 2, 3, or 4 arguments (including the object), but seen 1")
        assert.error_matches(function() local _ = sock:connect("127.0.0.1", 1, {}, 1) end,
            "expecting 2, 3, or 4 arguments (including the object), but seen 5")
    end)

    it("raises on a host that is not a string", function()
        local sock = fresh()
        assert.error_matches(function() local _ = sock:connect(nil, 80) end,
            "bad argument #1 to 'connect' (string expected, got nil)")
        assert.error_matches(function() local _ = sock:connect({}, 80) end,
            "bad argument #1 to 'connect' (string expected, got table)")
    end)
end)
