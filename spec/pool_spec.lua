-- The keepalive pool: setkeepalive, getreusedtimes and connect's pool,
-- pool_size and backlog options, as ngx_lua 0.10.27 behaves (SPEC 4), plus
-- what only the native socket can show: descriptors, idle expiry without a
-- timer, garbage collection, the pools closing with their Lua state, fork.
--
-- t/diff/cases/15x-17x compare the same behaviour against the real cosocket;
-- here every test also empties the pools it used (after_each), so that no
-- idle connection outlives its test and upsets another one's fd counts.

local native = require "resty.luasocket.native"
local helper = require "helper"
local pack = helper.pack

local used = {}   -- the connect arguments of every pool a test used
local serial = 0  -- pool names are unique across the whole run

local function name(what)
    serial = serial + 1
    return "spec-" .. helper.pid() .. "-" .. serial .. "-" .. what
end

local function sock(ms)
    local s = native.tcp()
    s:settimeout(ms or 2000)
    return s
end

-- connect, remembering the pool for after_each
local function connect(s, ...)
    used[#used + 1] = pack(...)
    return s:connect(...)
end

-- takes and closes the idle connections of the pool connect(...) would use
local function drain(args)
    for _ = 1, 100 do
        local d = sock(300)
        local unpack = table.unpack or unpack -- luacheck: ignore 143
        if not d:connect(unpack(args, 1, args.n)) then return end
        local r = d:getreusedtimes()
        d:close()
        if r == 0 then return end
    end
end

-- one request on an echo connection
local function echo(s, text)
    assert.returns({#text + 1}, s:send(text .. "\n"))
    assert.returns({text}, s:receive())
end

-- the sockets of this process, after the garbage collector ran
local function sockets()
    helper.collect()
    return helper.socket_count()
end

describe("pool", function()
    after_each(function()
        helper.collect()
        for i = #used, 1, -1 do drain(used[i]) end
        used = {}
        helper.collect()
    end)

    describe("getreusedtimes and setkeepalive", function()
        it("counts 0 for a fresh connection, then 1, 2, 3 as it comes back", function()
            local peer = helper.peer("echo")
            local s = sock()
            for i = 0, 3 do
                assert.returns({1}, connect(s, "127.0.0.1", peer.port))
                assert.returns({i}, s:getreusedtimes())
                echo(s, "round " .. i)
                assert.returns({1}, s:setkeepalive())
                assert.returns(pack(nil, "closed"), s:getreusedtimes())
            end
        end)

        it("hands back the very same connection: the peer's script goes on", function()
            local peer = helper.peer("recvline;send:first\\n;recvline;send:second\\n;recvline;send:third\\n;hold")
            local s = sock()
            for _, want in ipairs({"first", "second", "third"}) do
                assert.returns({1}, connect(s, "127.0.0.1", peer.port))
                s:send("x\n")
                assert.returns({want}, s:receive())
                assert.returns({1}, s:setkeepalive(0))
            end
        end)

        it("keeps the descriptor open while idle, and gives it to the next connect", function()
            local peer = helper.peer("echo")
            local s = sock()
            local before = sockets()
            assert.returns({1}, connect(s, "127.0.0.1", peer.port))
            local fd = s:getfd()
            local inode = helper.socket_inode(fd)
            assert.returns({1}, s:setkeepalive())
            assert.equal(before + 1, sockets())
            assert.truthy(helper.holds_inode(inode))
            local s2 = sock()
            assert.returns({1}, connect(s2, "127.0.0.1", peer.port))
            assert.equal(inode, helper.socket_inode(s2:getfd()))
            assert.equal(before + 1, sockets())
            s2:close()
            assert.equal(before, sockets())
        end)

        it("answers nil, 'closed' on a socket that holds no connection", function()
            local s = sock()
            assert.returns(pack(nil, "closed"), s:setkeepalive())
            assert.returns(pack(nil, "closed"), s:setkeepalive(0, 5))
            assert.returns(pack(nil, "closed"), s:getreusedtimes())
            local port = helper.closed_port()
            assert.returns(pack(nil, "connection refused"), connect(s, "127.0.0.1", port))
            assert.returns(pack(nil, "closed"), s:setkeepalive())
            local peer = helper.peer("hold")
            assert.returns({1}, connect(s, "127.0.0.1", peer.port))
            assert.returns({1}, s:close())
            assert.returns(pack(nil, "closed"), s:setkeepalive())
            assert.returns({1}, connect(s, "127.0.0.1", peer.port))
            assert.returns({1}, s:setkeepalive())
            assert.returns(pack(nil, "closed"), s:setkeepalive())
            assert.returns(pack(nil, "closed"), s:close())
            assert.returns(pack(nil, "closed"), s:send("x"))
            assert.returns(pack(nil, "closed"), s:receive())
        end)

        it("raises on a wrong argument count", function()
            local s = sock()
            assert.has_error(function() s:setkeepalive(1, 2, 3) end,
                             "expecting 1 to 3 arguments (including the object), but got 4")
            assert.has_error(function() s.setkeepalive() end,
                             "expecting 1 to 3 arguments (including the object), but got 0")
            assert.has_error(function() s:getreusedtimes(1) end,
                             "expecting 1 argument (including the object), but got 2")
            assert.has_error(function() s.getreusedtimes() end,
                             "expecting 1 argument (including the object), but got 0")
        end)
    end)

    -- ngx_lua 0.10.23 (Debian's) pools the connection first and raises
    -- after; 0.10.27 checks both arguments before anything (SPEC 3)
    describe("setkeepalive's argument checks (ngx_lua 0.10.27)", function()
        it("raises on a bad timeout before pooling: the socket stays connected", function()
            local peer = helper.peer("echo")
            local s = sock()
            assert.returns({1}, connect(s, "127.0.0.1", peer.port))
            local n = sockets()
            assert.has_error(function() s:setkeepalive("x") end,
                             "bad argument #1 to 'setkeepalive' (number expected, got string)")
            assert.has_error(function() s:setkeepalive({}) end,
                             "bad argument #1 to 'setkeepalive' (number expected, got table)")
            assert.has_error(function() s:setkeepalive(true, 5) end,
                             "bad argument #1 to 'setkeepalive' (number expected, got boolean)")
            assert.returns({0}, s:getreusedtimes())
            echo(s, "still here")
            assert.equal(n, sockets())
            -- nothing was pooled: a second socket gets a fresh connection
            local s2 = sock()
            assert.returns({1}, connect(s2, "127.0.0.1", peer.port))
            assert.returns({0}, s2:getreusedtimes())
            s2:close()
            assert.returns({1}, s:setkeepalive())
            assert.returns({1}, connect(s, "127.0.0.1", peer.port))
            assert.returns({1}, s:getreusedtimes())
        end)

        it("raises on a bad size even when the pool exists (its size unused)", function()
            local peer = helper.peer("echo")
            local opts = {pool = name("size-type"), pool_size = 3}
            local s = sock()
            assert.returns({1}, connect(s, "127.0.0.1", peer.port, opts))
            assert.has_error(function() s:setkeepalive(0, "x") end,
                             "bad argument #2 to 'setkeepalive' (number expected, got string)")
            assert.has_error(function() s:setkeepalive(nil, {}) end,
                             "bad argument #2 to 'setkeepalive' (number expected, got table)")
            assert.returns({0}, s:getreusedtimes())
            echo(s, "usable")
            -- a number that is no pool size passes when the pool exists
            assert.returns({1}, s:setkeepalive(0, 0))
            assert.returns({1}, connect(s, "127.0.0.1", peer.port, opts))
            assert.returns({1}, s:getreusedtimes())
        end)

        it("checks the types before the socket's state: raises on a closed socket too", function()
            local s = sock()
            assert.has_error(function() s:setkeepalive("x") end,
                             "bad argument #1 to 'setkeepalive' (number expected, got string)")
            assert.has_error(function() s:setkeepalive(0, false) end,
                             "bad argument #2 to 'setkeepalive' (number expected, got boolean)")
            -- but the pool size's value is checked only when a pool is made
            assert.returns(pack(nil, "closed"), s:setkeepalive(0, 0))
        end)

        it("refuses to create a pool of size <= 0 and leaves the socket usable", function()
            local peer = helper.peer("echo")
            local s = sock()
            local opts = {pool = name("size0")}
            assert.returns({1}, connect(s, "127.0.0.1", peer.port, opts))
            assert.has_error(function() s:setkeepalive(0, 0) end,
                             'bad argument #2 to \'setkeepalive\' (bad "pool_size" option value: 0)')
            assert.has_error(function() s:setkeepalive(nil, -3) end,
                             'bad argument #2 to \'setkeepalive\' (bad "pool_size" option value: -3)')
            assert.has_error(function() s:setkeepalive(nil, 0.5) end,
                             'bad argument #2 to \'setkeepalive\' (bad "pool_size" option value: 0)')
            echo(s, "usable")
            assert.returns({1}, s:setkeepalive(nil, "2"))
            assert.returns({1}, connect(s, "127.0.0.1", peer.port, opts))
            assert.returns({1}, s:getreusedtimes())
        end)

        it("takes number-like strings and truncates fractions", function()
            local peer = helper.peer("echo")
            local opts = {pool = name("strings")}
            local s = sock()
            assert.returns({1}, connect(s, "127.0.0.1", peer.port, opts))
            assert.returns({1}, s:setkeepalive("60000", "3"))
            assert.returns({1}, connect(s, "127.0.0.1", peer.port, opts))
            assert.returns({1}, s:setkeepalive(0.9, 1.5)) -- 0: never expires
            native.sleep(0.05)
            assert.returns({1}, connect(s, "127.0.0.1", peer.port, opts))
            assert.returns({2}, s:getreusedtimes())
        end)
    end)

    describe("what is never pooled", function()
        it("answers 'unread data in buffer' with bytes buffered; the socket stays usable", function()
            local peer = helper.peer("recvline;send:abcd\\n;recvline;send:efgh\\n;hold")
            local s = sock()
            assert.returns({1}, connect(s, "127.0.0.1", peer.port))
            local n = sockets()
            s:send("one\n")
            native.sleep(0.1)
            assert.returns({"ab"}, s:receive(2))
            assert.returns(pack(nil, "unread data in buffer"), s:setkeepalive())
            assert.returns(pack(nil, "unread data in buffer"), s:setkeepalive(0, 3))
            assert.equal(n, sockets())
            assert.returns({0}, s:getreusedtimes())
            assert.returns({"cd"}, s:receive())
            assert.returns({1}, s:setkeepalive())
            assert.returns({1}, connect(s, "127.0.0.1", peer.port))
            assert.returns({1}, s:getreusedtimes())
            s:send("two\n")
            assert.returns({"efgh"}, s:receive())
        end)

        it("answers 'connection in dubious state' with bytes in the kernel, and closes", function()
            local peer = helper.peer("recvline;send:abcd\\n;sleep:50;send:extra\\n;hold")
            local s = sock()
            local before = sockets()
            assert.returns({1}, connect(s, "127.0.0.1", peer.port))
            s:send("go\n")
            assert.returns({"abcd"}, s:receive())
            native.sleep(0.3)
            assert.returns(pack(nil, "connection in dubious state"), s:setkeepalive())
            assert.equal(before, sockets())
            assert.returns(pack(nil, "closed"), s:getreusedtimes())
            assert.returns(pack(nil, "closed"), s:receive())
            assert.returns(pack(nil, "closed"), s:close())
            assert.returns({1}, connect(s, "127.0.0.1", peer.port))
            assert.returns({0}, s:getreusedtimes())
        end)

        it("never hands out a connection the peer closed while it was idle", function()
            local peer = helper.peer("recvline;send:ok\\n;sleep:100;close")
            local s = sock()
            local before = sockets()
            assert.returns({1}, connect(s, "127.0.0.1", peer.port))
            s:send("go\n")
            assert.returns({"ok"}, s:receive())
            assert.returns({1}, s:setkeepalive(0))
            native.sleep(0.4)
            assert.returns({1}, connect(s, "127.0.0.1", peer.port))
            assert.returns({0}, s:getreusedtimes())
            -- the dead one was closed when connect looked at it
            assert.equal(before + 1, sockets())
            s:send("go\n")
            assert.returns({"ok"}, s:receive())
        end)

        it("never hands out a connection that received bytes while idle", function()
            local peer = helper.peer("recvline;send:ok\\n;sleep:100;send:junk\\n;hold")
            local s = sock()
            local before = sockets()
            assert.returns({1}, connect(s, "127.0.0.1", peer.port))
            s:send("go\n")
            assert.returns({"ok"}, s:receive())
            assert.returns({1}, s:setkeepalive(0))
            native.sleep(0.4)
            assert.returns({1}, connect(s, "127.0.0.1", peer.port))
            assert.returns({0}, s:getreusedtimes())
            assert.equal(before + 1, sockets())
            s:send("go\n")
            assert.returns({"ok"}, s:receive())
        end)

        it("never hands out a connection the peer reset while idle", function()
            local peer = helper.peer("recvline;send:ok\\n;sleep:100;reset")
            local s = sock()
            local before = sockets()
            assert.returns({1}, connect(s, "127.0.0.1", peer.port))
            s:send("go\n")
            assert.returns({"ok"}, s:receive())
            assert.returns({1}, s:setkeepalive(0))
            native.sleep(0.4)
            assert.returns({1}, connect(s, "127.0.0.1", peer.port))
            assert.returns({0}, s:getreusedtimes())
            assert.equal(before + 1, sockets())
        end)

        it("skips a dead most recent connection and takes an older live one", function()
            local live = helper.peer("echo")
            local doomed = helper.peer("echo")
            local opts = {pool = name("mixed")}
            local a, b = sock(), sock()
            local before = sockets()
            assert.returns({1}, connect(a, "127.0.0.1", live.port, opts))
            assert.returns({1}, connect(b, "127.0.0.1", doomed.port, opts))
            assert.returns({1}, a:setkeepalive(0))
            assert.returns({1}, b:setkeepalive(0)) -- the most recent
            doomed.stop()
            native.sleep(0.2)
            assert.returns({1}, connect(a, "127.0.0.1", live.port, opts))
            assert.returns({1}, a:getreusedtimes())
            echo(a, "the live one")
            assert.equal(before + 1, sockets())
        end)

        it("after the peer's EOF: 'closed', and the socket is left for close()", function()
            local peer = helper.peer("recvline;send:ok\\n;close")
            local s = sock()
            local before = sockets()
            assert.returns({1}, connect(s, "127.0.0.1", peer.port))
            s:send("go\n")
            assert.returns({"ok"}, s:receive())
            native.sleep(0.2)
            assert.returns(pack(nil, "closed"), s:setkeepalive())
            assert.equal(before + 1, sockets())
            assert.returns({1}, s:close())
            assert.equal(before, sockets())
        end)
    end)

    describe("pool names", function()
        -- connects s (...: connect's arguments), echoes once, pools it
        -- again; the times its connection was reused
        local function use_pooled(s, ...)
            assert.returns({1}, connect(s, ...))
            local r = s:getreusedtimes()
            echo(s, "x")
            assert.returns({1}, s:setkeepalive(0))
            return r
        end

        it("keys pools by host:port as written, by unix path, and by opts.pool", function()
            local peer = helper.peer("echo")
            local upeer = helper.peer("echo", {unix = true})
            local a, b = name("a"), name("b")
            local s = sock()
            local function use(...) return use_pooled(s, ...) end
            assert.equal(0, use("127.0.0.1", peer.port))
            assert.equal(0, use("127.0.0.1", peer.port, {pool = a}))
            assert.equal(0, use("127.0.0.1", peer.port, {pool = b}))
            assert.equal(0, use("unix:" .. upeer.path))
            assert.equal(1, use("127.0.0.1", peer.port))
            assert.equal(1, use("127.0.0.1", peer.port, {pool = a}))
            assert.equal(1, use("127.0.0.1", peer.port, {pool = b}))
            assert.equal(1, use("unix:" .. upeer.path))
            assert.equal(2, use("unix:" .. upeer.path, nil))
            assert.equal(0, use("UNIX:" .. upeer.path))
            -- "host:port" as a pool name is the default pool of that peer
            assert.equal(2, use("127.0.0.1", peer.port, {pool = "127.0.0.1:" .. peer.port}))
        end)

        it("names pools by numbers as LuaJIT's tostring writes them (%.14g)", function()
            local peer = helper.peer("echo")
            local s = sock()
            local function use(...) return use_pooled(s, ...) end
            local port = peer.port
            -- a port given as a float is the same pool as the integer
            assert.equal(0, use("127.0.0.1", port))
            assert.equal(1, use("127.0.0.1", port + 0.0))
            assert.equal(2, use("127.0.0.1", port, {pool = "127.0.0.1:" .. string.format("%d", port)}))
            -- a fraction, a negative zero, big and negative numbers as pool
            -- names: each its own pool, named as %.14g writes it
            -- (a negative zero made at run time: Lua 5.1 keeps one
            -- constant for 0 and -0)
            local zero = 0.0
            for _, v in ipairs({ {port + 0.5, string.format("%.14g", port + 0.5)},
                                 {-zero, "-0"}, {0, "0"}, {-12345, "-12345"},
                                 {99999999999999, "99999999999999"},
                                 {1e14, "1e+14"}, {-1e14, "-1e+14"},
                                 {2 ^ 53, "9.007199254741e+15"} }) do
                local num, str = v[1], v[2]
                assert.equal(0, use("127.0.0.1", port, {pool = num}))
                assert.equal(1, use("127.0.0.1", port, {pool = str}))
            end
        end)

        it("shares a named pool whatever the address: connect may get another peer's connection", function()
            local peer = helper.peer("recvline;send:from the peer\\n;hold")
            local opts = {pool = name("shared")}
            local s = sock()
            assert.returns({1}, connect(s, "127.0.0.1", peer.port, opts))
            assert.returns({1}, s:setkeepalive(0))
            local port = helper.closed_port()
            assert.returns({1}, connect(s, "127.0.0.1", port, opts))
            assert.returns({1}, s:getreusedtimes())
            s:send("x\n")
            assert.returns({"from the peer"}, s:receive())
        end)

        it("pools IPv6 connections under [::1]:port", function()
            local peer = helper.peer("echo", {host = "::1"})
            local s = sock()
            assert.returns({1}, connect(s, "[::1]", peer.port))
            echo(s, "v6")
            assert.returns({1}, s:setkeepalive(0))
            assert.returns({1}, connect(s, "[::1]", peer.port))
            assert.returns({1}, s:getreusedtimes())
            assert.returns({1}, s:setkeepalive(0))
            assert.returns({1}, connect(s, "127.0.0.1", peer.port, {pool = "[::1]:" .. peer.port}))
            assert.returns({2}, s:getreusedtimes())
            echo(s, "v6 again")
        end)

        it("keeps 100 pools apart", function()
            local peer = helper.peer("echo")
            local names, socks = {}, {}
            local before = sockets()
            for i = 1, 100 do
                names[i] = name("many" .. i)
                socks[i] = sock()
                assert.returns({1}, connect(socks[i], "127.0.0.1", peer.port, {pool = names[i]}))
                echo(socks[i], "pool " .. i)
            end
            for i = 1, 100 do assert.returns({1}, socks[i]:setkeepalive(0)) end
            assert.equal(before + 100, sockets())
            for i = 100, 1, -1 do
                assert.returns({1}, connect(socks[i], "127.0.0.1", peer.port, {pool = names[i]}))
                assert.returns({1}, socks[i]:getreusedtimes())
                echo(socks[i], "again " .. i)
            end
            for i = 1, 100 do socks[i]:close() end
            assert.equal(before, sockets())
        end)
    end)

    describe("size and eviction", function()
        it("keeps at most pool_size idle connections, dropping the least recently used", function()
            local peer = helper.peer("echo")
            local opts = {pool = name("lru"), pool_size = 2}
            local socks, inodes = {}, {}
            local before = sockets()
            for i = 1, 4 do
                socks[i] = sock()
                assert.returns({1}, connect(socks[i], "127.0.0.1", peer.port, opts))
                inodes[i] = helper.socket_inode(socks[i]:getfd())
            end
            for i = 1, 4 do assert.returns({1}, socks[i]:setkeepalive(0)) end
            assert.equal(before + 2, sockets())
            assert.falsy(helper.holds_inode(inodes[1]))
            assert.falsy(helper.holds_inode(inodes[2]))
            -- most recent first: 4, then 3, then a fresh one
            for i, want in ipairs({inodes[4], inodes[3]}) do
                assert.returns({1}, connect(socks[i], "127.0.0.1", peer.port, opts))
                assert.equal(want, helper.socket_inode(socks[i]:getfd()))
                assert.returns({1}, socks[i]:getreusedtimes())
            end
            assert.returns({1}, connect(socks[3], "127.0.0.1", peer.port, opts))
            assert.returns({0}, socks[3]:getreusedtimes())
        end)

        it("fixes the size when connect creates the pool: later setkeepalive sizes change nothing", function()
            local peer = helper.peer("hold")
            local opts = {pool = name("fixed"), pool_size = 1}
            local anchor = sock()
            assert.returns({1}, connect(anchor, "127.0.0.1", peer.port, opts))
            local before = sockets()
            local socks = {}
            for i = 1, 3 do
                socks[i] = sock()
                assert.returns({1}, connect(socks[i], "127.0.0.1", peer.port, {pool = opts.pool, pool_size = 10}))
            end
            for i = 1, 3 do assert.returns({1}, socks[i]:setkeepalive(0, 10)) end
            assert.equal(before + 1, sockets())
        end)

        it("fixes the size when setkeepalive creates the pool", function()
            local peer = helper.peer("hold")
            local opts = {pool = name("fixed-ska")}
            local socks = {}
            local before = sockets()
            for i = 1, 4 do
                socks[i] = sock()
                assert.returns({1}, connect(socks[i], "127.0.0.1", peer.port, opts))
            end
            assert.returns({1}, socks[1]:setkeepalive(0, 2))
            for i = 2, 4 do assert.returns({1}, socks[i]:setkeepalive(0, 30)) end
            assert.equal(before + 2, sockets())
        end)

        -- ngx_lua frees a pool when its connection count drops to 0 (the
        -- last connection closed): the next creator sets a new size and
        -- backlog (t/diff/cases/164 and 167 show the real thing)
        it("forgets a pool whose last connection closed: the next creator sizes it anew", function()
            local peer = helper.peer("hold")
            local pool = name("refreshed")
            local s = sock()
            assert.returns({1}, connect(s, "127.0.0.1", peer.port, {pool = pool, pool_size = 1, backlog = 0}))
            assert.returns({1}, s:close())
            local socks = {}
            for i = 1, 3 do
                socks[i] = sock()
                assert.returns({1}, connect(socks[i], "127.0.0.1", peer.port, {pool = pool}))
            end
            for i = 1, 3 do assert.returns({1}, socks[i]:setkeepalive(0, 3)) end
            for i = 1, 3 do
                assert.returns({1}, connect(socks[i], "127.0.0.1", peer.port, {pool = pool}))
                assert.returns({1}, socks[i]:getreusedtimes())
            end
        end)
    end)

    describe("idle timeout", function()
        it("closes an expired connection the next time any pool is used (no timer)", function()
            local peer = helper.peer("hold")
            local a = {pool = name("expiring")}
            local b = {pool = name("other")}
            local s, t = sock(), sock()
            local before = sockets()
            assert.returns({1}, connect(s, "127.0.0.1", peer.port, a))
            assert.returns({1}, s:setkeepalive(100))
            native.sleep(0.3)
            -- nothing ran: the expired connection is still open
            assert.equal(before + 1, sockets())
            -- a connect in another pool tidies every pool
            assert.returns({1}, connect(t, "127.0.0.1", peer.port, b))
            assert.equal(before + 1, sockets())
            assert.returns({1}, connect(s, "127.0.0.1", peer.port, a))
            assert.returns({0}, s:getreusedtimes())
            assert.equal(before + 2, sockets())
        end)

        it("also tidies on setkeepalive", function()
            local peer = helper.peer("hold")
            local a = {pool = name("expiring2")}
            local b = {pool = name("other2")}
            local s, t = sock(), sock()
            assert.returns({1}, connect(t, "127.0.0.1", peer.port, b))
            local before = sockets()
            assert.returns({1}, connect(s, "127.0.0.1", peer.port, a))
            assert.returns({1}, s:setkeepalive(100))
            native.sleep(0.3)
            assert.equal(before + 1, sockets())
            assert.returns({1}, t:setkeepalive(0))
            assert.equal(before, sockets())
        end)

        it("keeps a connection pooled with timeout 0 for good, and honours each call's timeout", function()
            local peer = helper.peer("hold")
            local opts = {pool = name("forever")}
            local s = sock()
            assert.returns({1}, connect(s, "127.0.0.1", peer.port, opts))
            assert.returns({1}, s:setkeepalive(0))
            native.sleep(0.4)
            assert.returns({1}, connect(s, "127.0.0.1", peer.port, opts))
            assert.returns({1}, s:getreusedtimes())
            assert.returns({1}, s:setkeepalive(5000))
            native.sleep(0.3)
            assert.returns({1}, connect(s, "127.0.0.1", peer.port, opts))
            assert.returns({2}, s:getreusedtimes())
            assert.returns({1}, s:setkeepalive(100))
            native.sleep(0.3)
            assert.returns({1}, connect(s, "127.0.0.1", peer.port, opts))
            assert.returns({0}, s:getreusedtimes())
        end)
    end)

    describe("huge keepalive timeouts", function()
        -- ngx_lua adds the timeout to its msec clock as an unsigned number:
        -- anything short of 2^63 ms is a far future, never an overflow
        it("keeps a connection pooled with a timeout just under 2^63 ms", function()
            local peer = helper.peer("hold")
            local opts = {pool = name("huge")}
            local s = sock()
            for _, ms in ipairs({2^40, 2^62, 2^63 - 2^10}) do
                assert.returns({1}, connect(s, "127.0.0.1", peer.port, opts))
                assert.returns({1}, s:setkeepalive(ms))
                native.sleep(0.05)
                assert.returns({1}, connect(s, "127.0.0.1", peer.port, opts))
                assert.equal(1, s:getreusedtimes(), string.format("timeout %.0f ms", ms))
                s:close()
            end
        end)
    end)

    describe("backlog", function()
        it("fails at once past pool_size + backlog", function()
            local peer = helper.peer("hold")
            local opts = {pool = name("full"), pool_size = 2, backlog = 0}
            -- c's connect timeout is far above the bound below: waiting
            -- at all would show
            local a, b, c = sock(), sock(), sock(30000)
            local before = sockets()
            assert.returns({1}, connect(a, "127.0.0.1", peer.port, opts))
            assert.returns({1}, connect(b, "127.0.0.1", peer.port, opts))
            local t0 = native.now()
            assert.returns(pack(nil, "too many waiting connect operations"),
                           connect(c, "127.0.0.1", peer.port, opts))
            assert.truthy(native.now() - t0 < 10, "no wait")
            assert.equal(before + 2, sockets())
            assert.returns(pack(nil, "closed"), c:receive())
            -- an idle connection still counts, and taking it adds nothing
            assert.returns({1}, a:setkeepalive(0))
            assert.returns({1}, connect(c, "127.0.0.1", peer.port, {pool = opts.pool, pool_size = 10}))
            assert.returns({1}, c:getreusedtimes())
            assert.returns(pack(nil, "too many waiting connect operations"),
                           connect(a, "127.0.0.1", peer.port, opts))
            assert.returns({1}, c:setkeepalive(0))
            b:close()
            assert.returns({1}, connect(b, "127.0.0.1", peer.port, opts))
            assert.returns({2}, b:getreusedtimes())
            assert.returns({1}, connect(a, "127.0.0.1", peer.port, opts))
            assert.returns({0}, a:getreusedtimes())
            assert.returns(pack(nil, "too many waiting connect operations"),
                           connect(c, "127.0.0.1", peer.port, opts))
        end)

        it("makes a queued connect wait its connect timeout, then fail with 'timeout'", function()
            local peer = helper.peer("hold")
            local opts = {pool = name("queue"), pool_size = 1, backlog = 2}
            local a, b = sock(), native.tcp()
            b:settimeouts(300, 5000, 5000)
            local before = sockets()
            assert.returns({1}, connect(a, "127.0.0.1", peer.port, opts))
            local t0 = native.now()
            assert.returns(pack(nil, "timeout"), connect(b, "127.0.0.1", peer.port, opts))
            local waited = native.now() - t0
            assert.truthy(waited >= 0.25 and waited < 2, "waited " .. waited .. " s")
            assert.equal(before + 1, sockets())
            assert.returns(pack(nil, "closed"), b:receive())
            assert.returns(pack(nil, "closed"), b:getreusedtimes())
            assert.returns(pack(nil, "closed"), b:close())
            -- the queued attempts left no count behind
            a:close()
            assert.returns({1}, connect(a, "127.0.0.1", peer.port, opts))
            b:settimeout(1000)
            local t1 = native.now()
            assert.returns(pack(nil, "timeout"), connect(b, "127.0.0.1", peer.port, opts))
            assert.truthy(native.now() - t1 >= 0.9, "the 1 s connect timeout")
        end)

        it("calls the clock hook after a queued connect waited", function()
            local peer = helper.peer("hold")
            local opts = {pool = name("hook"), pool_size = 1, backlog = 1}
            local a, b = sock(), sock(200)
            local calls = 0
            native.set_clock_hook(function() calls = calls + 1 end)
            local ok, err = pcall(function()
                assert.returns({1}, connect(a, "127.0.0.1", peer.port, opts))
                calls = 0
                assert.returns(pack(nil, "timeout"), connect(b, "127.0.0.1", peer.port, opts))
            end)
            native.set_clock_hook(nil)
            assert(ok, err)
            assert.truthy(calls >= 1, "the hook ran " .. calls .. " times")
        end)

        it("counts neither failed connects nor released connections", function()
            -- the peer's "x" waits for the client's second line: no read can
            -- take it before the dubious-state check, however late it runs
            local peer = helper.peer("recvline;send:abcd\\n;recvline;send:x;hold")
            local opts = {pool = name("counts"), pool_size = 1, backlog = 0}
            local s, probe = sock(), sock()
            local function slot_free()
                local ok, err = connect(probe, "127.0.0.1", peer.port, opts)
                if ok then probe:close() return true end
                assert.equal("too many waiting connect operations", err)
                return false
            end
            local port = helper.closed_port()
            for _ = 1, 5 do
                assert.returns(pack(nil, "connection refused"), connect(s, "127.0.0.1", port, opts))
            end
            assert.truthy(slot_free(), "after refused connects")
            assert.returns({1}, connect(s, "127.0.0.1", peer.port, opts))
            assert.falsy(slot_free(), "while connected")
            assert.returns(pack(nil, "bad port number: 65536"), connect(s, "127.0.0.1", 65536, opts))
            assert.falsy(slot_free(), "a bad port keeps the old connection")
            assert.returns({1}, connect(s, "127.0.0.1", peer.port, opts))
            assert.falsy(slot_free(), "after a reconnect")
            s:send("go\n")
            assert.returns({"abcd"}, s:receive())
            s:send("more\n")
            native.sleep(0.3)
            assert.returns(pack(nil, "connection in dubious state"), s:setkeepalive())
            assert.truthy(slot_free(), "after dubious state")
            assert.returns({1}, connect(s, "127.0.0.1", peer.port, opts))
            s = nil -- luacheck: ignore 311
            helper.collect()
            assert.truthy(slot_free(), "after the socket was collected")
        end)
    end)

    describe("descriptors", function()
        it("leaks none over many pooled and unpooled cycles", function()
            local peer = helper.peer("echo")
            local upeer = helper.peer("echo", {unix = true})
            local pools = {name("cyc1"), name("cyc2")}
            local before = sockets()
            local socks = {sock(), sock(), sock()}
            for i = 1, 150 do
                local s = socks[i % 3 + 1]
                local args
                if i % 5 == 0 then
                    args = {"unix:" .. upeer.path}
                else
                    args = {"127.0.0.1", peer.port, {pool = pools[i % 2 + 1], pool_size = 2}}
                end
                assert.returns({1}, connect(s, args[1], args[2], args[3]))
                echo(s, "cycle " .. i)
                if i % 7 == 0 then
                    s:close()
                elseif i % 11 == 0 then
                    s:send("left unread\n")
                    native.sleep(0.1)
                    assert.returns(pack(nil, "connection in dubious state"), s:setkeepalive(0))
                else
                    assert.returns({1}, s:setkeepalive(0))
                end
            end
            -- at most 2 idle per TCP pool, 30 (all) in the unix one
            assert.truthy(sockets() <= before + 2 + 2 + 30)
            for _, s in ipairs(socks) do s:close() end
            for i = #used, 1, -1 do drain(used[i]) end
            assert.equal(before, sockets())
        end)

        it("closes a pooled connection's fd when its socket is collected without close", function()
            local peer = helper.peer("echo")
            local opts = {pool = name("gc"), pool_size = 1, backlog = 0}
            local before = sockets()
            -- in a function of its own, so that no stack slot keeps them
            local function drop()
                local s = sock()
                assert.returns({1}, connect(s, "127.0.0.1", peer.port, opts))
                assert.returns({1}, s:setkeepalive(0))
                local s2 = sock()
                assert.returns({1}, connect(s2, "127.0.0.1", peer.port, opts))
                assert.returns({1}, s2:getreusedtimes())
                assert.equal(before + 1, helper.socket_count())
            end
            drop()
            assert.equal(before, sockets())
            -- and its place in the pool's backlog is free again
            local s3 = sock()
            assert.returns({1}, connect(s3, "127.0.0.1", peer.port, opts))
            assert.returns({0}, s3:getreusedtimes())
        end)

        it("keeps an idle connection when the socket that pooled it is collected", function()
            local peer = helper.peer("echo")
            local opts = {pool = name("gc-idle")}
            local before = sockets()
            local function drop()
                local s = sock()
                assert.returns({1}, connect(s, "127.0.0.1", peer.port, opts))
                assert.returns({1}, s:setkeepalive(0))
            end
            drop()
            assert.equal(before + 1, sockets())
            local s2 = sock()
            assert.returns({1}, connect(s2, "127.0.0.1", peer.port, opts))
            assert.returns({1}, s2:getreusedtimes())
            echo(s2, "kept")
        end)

        it("closes a dead peer's idle connections once its pool is used", function()
            local peer = helper.peer("echo")
            local opts = {pool = name("dead")}
            local before = sockets()
            local socks = {}
            for i = 1, 3 do
                socks[i] = sock()
                assert.returns({1}, connect(socks[i], "127.0.0.1", peer.port, opts))
            end
            for i = 1, 3 do assert.returns({1}, socks[i]:setkeepalive(0)) end
            assert.equal(before + 3, sockets())
            peer.stop()
            native.sleep(0.2)
            assert.returns(pack(nil, "connection refused"), connect(socks[1], "127.0.0.1", peer.port, opts))
            assert.equal(before, sockets())
        end)
    end)

    -- what a Lua state leaves open when it closes, seen by valgrind's
    -- --track-fds in a child interpreter (the one running this spec)
    describe("closing the Lua state", function()
        local interp = arg and arg[-1]

        local child_script = [=[
local port, upath, mode = tonumber(arg[1]), arg[2], arg[3]
local function gc_object(fn)
    if newproxy then -- luacheck: ignore 113
        local p = newproxy(true) -- luacheck: ignore 113
        getmetatable(p).__gc = fn
        return p
    end
    return setmetatable({}, {__gc = fn})
end
local early
if mode == "early-finalizer" then
    -- made before the module: finalized after the pools closed (5.2+)
    early = gc_object(function()
        local n = require "resty.luasocket.native"
        local s = n.tcp()
        s:settimeout(2000)
        assert(s:connect("127.0.0.1", port, {pool = "late"}))
        s:setkeepalive(0)
    end)
end
local native = require "resty.luasocket.native"
local socks = {}
for i = 1, 6 do
    socks[i] = native.tcp()
    socks[i]:settimeout(2000)
    if i <= 3 then
        assert(socks[i]:connect("127.0.0.1", port, {pool = "child", pool_size = 10, backlog = 5}))
    else
        assert(socks[i]:connect("unix:" .. upath))
    end
end
for i = 1, 6 do assert(socks[i]:setkeepalive(0) == 1) end
-- one socket holds a connection it took from the pool, another a fresh one
local took, fresh = native.tcp(), native.tcp()
took:settimeout(2000)
fresh:settimeout(2000)
assert(took:connect("127.0.0.1", port, {pool = "child"}))
assert(took:getreusedtimes() == 1)
assert(fresh:connect("127.0.0.1", port))
local late
if mode == "late-finalizer" then
    -- made after the module: finalized before the pools close
    late = gc_object(function()
        local s = native.tcp()
        s:settimeout(2000)
        assert(s:connect("127.0.0.1", port, {pool = "late"}))
        s:setkeepalive(0)
    end)
end
io.stdout:write("filled\n")
io.stdout:flush()
if mode == "exit" then os.exit(0) end -- the state is not closed
_G.keep = {socks, took, fresh, early, late}
]=]

        -- runs the child under valgrind; returns its report and the
        -- number of sockets it still had open when it exited
        local function run_child(mode, port, upath)
            local path = os.tmpname()
            local f = assert(io.open(path, "wb"))
            f:write(child_script)
            f:close()
            -- valgrind cannot run a process with the ASan runtime (make
            -- asan preloads it): the child then loads the plain build
            local env = ""
            if (os.getenv("LD_PRELOAD") or ""):find("asan", 1, true) then
                env = "env -u LD_PRELOAD LUA_CPATH='build/" .. interp:match("[^/]*$") .. "/?.so;;' "
            end
            local cmd = helper.child_env() .. env
                        .. "timeout -k 5 120 valgrind --track-fds=yes --error-exitcode=99 "
                        .. interp .. " " .. path .. " " .. port .. " '" .. upath
                        .. "' " .. mode .. " 2>&1"
            local p = assert(io.popen(cmd))
            local out = p:read("*a")
            p:close()
            os.remove(path)
            local open, notes = 0, {}
            for line in out:gmatch("[^\n]+") do
                if line:find("Open AF_INET6? socket") or line:find("Open AF_UNIX socket") then
                    open = open + 1
                end
                -- what a failure message needs of valgrind's report
                if line:find("Open AF_") or line:find("Process terminating")
                   or line:find("invalid address") or line:find("ERROR SUMMARY")
                   or line:find("^lua") or line:find("rror") then
                    notes[#notes + 1] = (line:gsub("^==%d+== ", ""))
                end
            end
            return out, open, table.concat(notes, " | ")
        end

        local function valgrind_ok()
            local p = io.popen("valgrind --version 2>/dev/null")
            local v = p and p:read("*l")
            if p then p:close() end
            return v ~= nil
        end

        it("the child interpreter and valgrind are there", function()
            assert.truthy(interp, "the interpreter's name (arg[-1])")
            assert.truthy(valgrind_ok(), "valgrind is installed")
        end)

        it("shows the sockets of a state that was not closed (the check can fail)", function()
            local peer = helper.peer("hold")
            local upeer = helper.peer("hold", {unix = true})
            local out, open, notes = run_child("exit", peer.port, upeer.path)
            assert.truthy(out:find("filled", 1, true), notes)
            assert.equal(7, open, notes)
        end)

        for _, mode in ipairs({"close", "late-finalizer", "early-finalizer"}) do
            it("leaves no socket open when the state closes (" .. mode .. ")", function()
                local peer = helper.peer("hold")
                local upeer = helper.peer("hold", {unix = true})
                local out, open, notes = run_child(mode, peer.port, upeer.path)
                assert.truthy(out:find("filled", 1, true), notes)
                assert.falsy(out:find("Process terminating", 1, true), "the child crashed: " .. notes)
                assert.truthy(out:find("FILE DESCRIPTORS", 1, true), notes)
                assert.equal(0, open, notes)
                assert.truthy(out:find("ERROR SUMMARY: 0 errors", 1, true), notes)
            end)
        end
    end)

    -- a child after fork() never reuses its parent's idle connections; the
    -- nginx version of this is t/fork/run.sh. Only LuaJIT can fork here.
    if jit then -- luacheck: ignore 113
        describe("fork (LuaJIT FFI)", function()
            local ffi = require "ffi"
            pcall(ffi.cdef, [[
                int fork(void);
                void _exit(int status);
                int getpid(void);
                int waitpid(int pid, int *status, int options);
                int kill(int pid, int sig);
            ]])
            local C = ffi.C

            -- runs fn in a forked child, which then leaves with _exit and
            -- closes nothing; waits for it (at most 20 s)
            local function in_child(fn)
                io.stdout:flush()
                local pid = C.fork()
                assert.truthy(pid >= 0, "fork")
                if pid == 0 then
                    pcall(fn)
                    C._exit(0)
                end
                local status = ffi.new("int[1]")
                for _ = 1, 400 do
                    if C.waitpid(pid, status, 1) == pid then return true end -- 1: WNOHANG
                    native.sleep(0.05)
                end
                C.kill(pid, 9)
                C.waitpid(pid, status, 0)
                return false
            end

            after_each(function()
                local tls = package.loaded.tls_helper
                if tls then tls.stop_all() end
            end)

            it("gives the child fresh connections and leaves the parent's alone", function()
                local peer = helper.peer("recvline;send:first\\n;recvline;send:second\\n;hold")
                local opts = {pool = name("fork")}
                local s = sock()
                assert.returns({1}, connect(s, "127.0.0.1", peer.port))
                s:send("parent\n")
                assert.returns({"first"}, s:receive())
                local inode = helper.socket_inode(s:getfd())
                assert.returns({1}, s:setkeepalive(0))
                assert.returns({1}, connect(s, "127.0.0.1", peer.port, opts))
                local named_inode = helper.socket_inode(s:getfd())
                assert.returns({1}, s:setkeepalive(0))

                local result = os.tmpname()
                local done = in_child(function()
                    local lines = {}
                    local okc, err = pcall(function()
                        local me = tostring(C.getpid())
                        local function put(k, v) lines[#lines + 1] = k .. "=" .. tostring(v) end
                        put("holds_before", helper.holds_inode(inode, me))
                        local c = native.tcp()
                        c:settimeout(2000)
                        put("connect", c:connect("127.0.0.1", peer.port))
                        put("reused", c:getreusedtimes())
                        c:send("child\n")
                        put("answer", c:receive())
                        put("holds_after", helper.holds_inode(inode, me))
                        put("holds_named", helper.holds_inode(named_inode, me))
                        put("ska", c:setkeepalive(0))
                        put("connect2", c:connect("127.0.0.1", peer.port))
                        put("reused2", c:getreusedtimes())
                        c:send("child\n")
                        put("answer2", c:receive())
                        put("named", c:connect("127.0.0.1", peer.port, opts))
                        put("named_reused", c:getreusedtimes())
                        c:close()
                    end)
                    if not okc then lines[#lines + 1] = "error=" .. tostring(err) end
                    local f = io.open(result, "wb")
                    if f then f:write(table.concat(lines, "\n"), "\n") f:close() end
                end)
                assert.truthy(done, "the child finished")
                local f = assert(io.open(result, "rb"))
                local text = f:read("*a")
                f:close()
                os.remove(result)
                local got = {}
                for k, v in text:gmatch("([%w_]+)=([^\n]*)") do got[k] = v end
                assert.equal(nil, got.error, text)
                assert.equal("true", got.holds_before, text) -- fork copied it
                assert.equal("1", got.connect, text)
                assert.equal("0", got.reused, text)
                assert.equal("first", got.answer, text)  -- a new server-side child
                assert.equal("false", got.holds_after, text)
                assert.equal("false", got.holds_named, text)
                assert.equal("1", got.ska, text)
                assert.equal("1", got.reused2, text)     -- its own pool works
                assert.equal("second", got.answer2, text)
                assert.equal("1", got.named, text)
                assert.equal("0", got.named_reused, text)
                -- the parent's connections are untouched
                assert.truthy(helper.holds_inode(inode))
                assert.returns({1}, connect(s, "127.0.0.1", peer.port))
                assert.returns({1}, s:getreusedtimes())
                assert.equal(inode, helper.socket_inode(s:getfd()))
                s:send("parent\n")
                assert.returns({"second"}, s:receive())
            end)

            -- closing the child's copy of a TLS connection must not send a
            -- close_notify on the connection the parent still has pooled
            it("leaves the parent's pooled TLS connection working", function()
                local tls = require "tls_helper"
                local srv = tls.s_server({mode = "rev"})
                local other = helper.peer("echo")
                local s = sock()
                assert.returns({1}, connect(s, "127.0.0.1", srv.port))
                assert.truthy(s:sslhandshake(nil, "localhost", false))
                s:send("hello\n")
                assert.returns({"olleh"}, s:receive())
                assert.returns({1}, s:setkeepalive(0))
                assert.truthy(in_child(function()
                    -- any use of a pool forgets the parent's connections
                    local c = native.tcp()
                    c:settimeout(2000)
                    c:connect("127.0.0.1", other.port)
                    c:close()
                end), "the child finished")
                native.sleep(0.3)
                assert.returns({1}, connect(s, "127.0.0.1", srv.port))
                assert.returns({1}, s:getreusedtimes())
                assert.truthy(s:sslhandshake(nil, "localhost", false))
                s:send("again\n")
                assert.returns({"niaga"}, s:receive())
                s:close()
            end)
        end)
    end
end)
