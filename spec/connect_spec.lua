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

    -- Found: glibc's getaddrinfo answers "Host not found" when it cannot
    -- open /etc/hosts or a resolver socket, so a name looked up at the
    -- descriptor limit said `could not be resolved (3: Host not found)`.
    -- The lookup keeps the errno; ngx_lua words EMFILE this way.
    it("at the descriptor limit, a name lookup says too many open files", function()
        local interp = arg and arg[-1]
        assert.truthy(interp, "the interpreter's name (arg[-1])")
        local peer = helper.peer("send:here\\n;hold")
        local child = [[
local native = require "resty.luasocket.native"
local port = tonumber(arg[1])
local files = {}
while true do
    local f = io.open("/dev/null")
    if not f then break end
    files[#files + 1] = f
end
local s, u = native.tcp(), native.udp()
s:settimeout(2000)
u:settimeout(2000)
local said = {
    select(2, s:connect("localhost", port)),
    select(2, s:connect("127.0.0.1", port)),
    select(2, u:setpeername("localhost", port)),
}
for _, f in ipairs(files) do f:close() end
said[4] = s:connect("localhost", port)
said[5] = s:receive()
io.write(#files, "|", table.concat(said, "|"), "\n")
]]
        local path = os.tmpname()
        local f = assert(io.open(path, "wb"))
        f:write(child)
        f:close()
        -- a limit of its own, in a child, as low as the interpreter allows
        local p = assert(io.popen(helper.child_env() .. "ulimit -n 32 && exec timeout 30 "
                                  .. interp .. " " .. path
                                  .. " " .. peer.port .. " 2>&1"))
        local out = p:read("*a")
        p:close()
        os.remove(path)
        local opened, rest = out:match("^(%d+)|(.*)\n$")
        assert.truthy(opened and tonumber(opened) > 0, out)
        assert.equal("too many open files|too many open files|too many open files|1|here", rest)
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

-- SPEC 7: a C string made from a Lua string ends at its first NUL byte, so
-- a host with one in it would send the socket where the part before the
-- NUL points, while an allow-list checked the whole string. Such hosts are
-- refused; where ngx_lua answers with an error, in its words.
describe("connect to a host with a NUL byte", function()
    -- ngx_lua sends the whole name to its resolver, which finds nothing
    -- ("127.0.0.1\0junk could not be resolved (3: Host not found)" with a
    -- resolver that says NXDOMAIN); the native socket asks nobody
    for _, host in ipairs({"127.0.0.1\0junk", "localhost\0.example.com", "\0", "127.0.0.1\0"}) do
        it(("%q: could not be resolved, nothing connected"):format(host), function()
            local peer = helper.peer("send:hi\\n;hold", {no_accept = true})
            local sock = fresh()
            assert.returns(pack(nil, host .. " could not be resolved (3: Host not found)"),
                           sock:connect(host, peer.port))
            assert.returns(pack(nil, "closed"), sock:send("x"))
            -- the listener's one queue slot is still free: nothing took it
            sock:settimeout(1000)
            assert.returns({1}, sock:connect("127.0.0.1", peer.port))
            sock:close()
        end)
    end

    it("bracketed IPv6 literals: nginx's parser answers first, as in ngx_lua", function()
        local sock = fresh()
        assert.returns(pack(nil, 'failed to parse host name "[::1]": invalid host'),
                       sock:connect("[::1]\0x", 80))
        assert.returns(pack(nil, 'failed to parse host name "[::1": invalid IPv6 address'),
                       sock:connect("[::1\0]", 80))
        assert.returns(pack(nil, 'failed to parse host name "[::1]:": invalid port'),
                       sock:connect("[::1]:\0", 80))
        -- the same parser without a NUL
        assert.returns(pack(nil, 'failed to parse host name "[::1]x": invalid host'),
                       sock:connect("[::1]x", 80))
        assert.returns(pack(nil, 'failed to parse host name "[::1": invalid host'),
                       sock:connect("[::1", 80))
        assert.returns(pack(nil, 'failed to parse host name "[foo]": invalid IPv6 address'),
                       sock:connect("[foo]", 80))
        assert.returns(pack(nil, 'failed to parse host name "[]": no host'),
                       sock:connect("[]", 80))
    end)

    -- nginx cuts a unix path at the NUL and connects there
    it("a unix path: refused, nothing connected", function()
        local peer = helper.peer("send:unix\\n;hold", {unix = true})
        local sock = fresh()
        local host = "unix:" .. peer.path .. "\0.other"
        assert.returns(pack(nil, 'failed to parse host name "unix:' .. peer.path
                                 .. '\\0.other": holds a NUL byte'),
                       sock:connect(host))
        assert.returns(pack(nil, 'failed to parse host name "unix:\\0": holds a NUL byte'),
                       sock:connect("unix:\0"))
        assert.returns(pack(nil, "closed"), sock:receive())
        assert.returns({1}, sock:connect("unix:" .. peer.path))
        assert.equal("unix", sock:receive())
        sock:close()
    end)

    -- a pool name is a Lua string to the end: as in ngx_lua, "a\0b" and "a"
    -- are two pools (t/diff case 087 compares them)
    it("pool names with a NUL byte are whole names, as in ngx_lua", function()
        local peer = helper.peer("send:hi\\n;hold")
        local sock = fresh()
        assert.returns({1}, sock:connect("127.0.0.1", peer.port, {pool = "a\0b"}))
        assert.returns({"hi"}, sock:receive())
        assert.returns({1}, sock:setkeepalive())
        assert.returns({1}, sock:connect("127.0.0.1", peer.port, {pool = "a"}))
        assert.returns({0}, sock:getreusedtimes())
        sock:close()
        assert.returns({1}, sock:connect("127.0.0.1", peer.port, {pool = "a\0b"}))
        assert.returns({1}, sock:getreusedtimes())
        sock:close()
    end)
end)
