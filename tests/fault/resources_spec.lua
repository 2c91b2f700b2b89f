-- Resources under failure (SPEC 7): no descriptor left behind by any way an
-- operation can fail, sockets dropped without close() closed by the
-- garbage collector, a full pool of TLS connections closed with the Lua
-- state, and memory that stays flat over many pooled request cycles.
--
-- Counts: the cheap failures 100k times each, the ones that wait or fork a
-- peer a few thousand times; pooled cycles 100k (compared at 10k and 100k).
-- FAULT_FULL=1: 1M pooled cycles (compared at 100k and 1M).
--
-- (spec/gc_spec.lua checks single dropped sockets; spec/pool_spec.lua what
-- a closing state leaves of plain TCP and unix pools; this file does not
-- repeat them.)

local native = require "resty.luasocket.native"
local socket = require "resty.luasocket"
local helper = require "helper"
local th = require "tls_helper"

local FULL = os.getenv("FAULT_FULL") == "1"
local CHEAP = 100000
local LONG = 5000

-- every descriptor of this process, and what they are (for messages).
-- ls writes to a file: with a pipe (io.popen) it could see both ends of
-- the pipe, when it runs before the parent closed its copy of one
local listing = os.tmpname()
local function fd_count()
    local ok = os.execute("ls -l /proc/" .. helper.pid() .. "/fd >" .. listing .. " 2>/dev/null")
    assert(ok == true or ok == 0, "ls /proc/<pid>/fd")
    local n, list = 0, {}
    for line in io.lines(listing) do
        local fd, target = line:match("(%d+) %-> (.*)$")
        if fd then
            n = n + 1
            list[#list + 1] = fd .. "=" .. target
        end
    end
    os.remove(listing)
    return n, table.concat(list, " ")
end

-- resident set size in KiB (/proc/self/statm: pages)
local function rss_kib()
    local f = assert(io.open("/proc/self/statm", "rb"))
    local resident = f:read("*l"):match("^%d+ (%d+)")
    f:close()
    local p = io.popen("getconf PAGESIZE")
    local page = tonumber(p and p:read("*l")) or 4096
    if p then p:close() end
    return tonumber(resident) * page / 1024
end

local function sock(ms)
    local s = native.tcp()
    s:settimeout(ms or LONG)
    return s
end

-- raises unless got equals want (cheap enough for 100k rounds)
local function check(what, want, ...)
    local got = select(1, ...)
    if got ~= want then
        error(what .. ": got " .. tostring(got) .. ", " .. tostring(select(2, ...))
              .. ", want " .. tostring(want), 2)
    end
end

local function note(...)
    io.write("# ", ...)
    io.write("\n")
end

describe("resources", function()
    describe("no descriptor left by failures", function()
        local before

        local before_list
        before_each(function()
            helper.collect()
            before, before_list = fd_count()
        end)

        after_each(function()
            th.stop_all()
            helper.stop_all()
        end)

        -- the count, after the test's peers stopped and its sockets were
        -- collected
        local function same_count(what)
            th.stop_all()
            helper.stop_all()
            helper.collect()
            local after, after_list = fd_count()
            note(what, ": descriptors before ", before, ", after ", after)
            assert.equal(before, after, what .. ": before " .. before_list .. "; after " .. after_list)
        end

        it("connect refused, no such unix socket, bad ports: " .. CHEAP .. " each", function()
            local port = helper.closed_port()
            local s = sock()
            for i = 1, CHEAP do
                -- half of them on a fresh socket dropped without close
                local t = i % 2 == 0 and s or sock()
                check("refused", "connection refused", select(2, t:connect("127.0.0.1", port)))
                check("unix", "no such file or directory",
                      select(2, t:connect("unix:/nonexistent/luasocket-fault.sock")))
                check("bad port", "bad port number: 65536", select(2, t:connect("127.0.0.1", 65536)))
            end
            same_count("refused connects")
        end)

        it("calls on closed sockets and argument errors raised inside methods: " .. CHEAP .. " each",
           function()
            local peer = helper.peer("echo")
            local live = sock()
            assert.returns({1}, live:connect("127.0.0.1", peer.port))
            local dead = sock()
            local it = dead:receiveuntil("--")
            for _ = 1, CHEAP do
                check("send", nil, dead:send("x"))
                check("receive", nil, dead:receive())
                check("iterator", nil, it())
                check("setkeepalive", nil, dead:setkeepalive())
                check("close", nil, dead:close())
                check("raises", false, pcall(live.receive, live, "l"))
                check("raises", false, pcall(live.send, live, {true}))
                check("raises", false, pcall(live.setkeepalive, live, "x"))
            end
            -- the live connection came through all those errors unharmed
            assert.returns({3}, live:send("ok\n"))
            assert.returns({"ok"}, live:receive())
            live:close()
            same_count("closed sockets and argument errors")
        end)

        it("read timeouts of 1 ms: 3000, on one connection and on new ones", function()
            local peer = helper.peer("hold", {max_seconds = 120})
            local s = sock()
            assert.returns({1}, s:connect("127.0.0.1", peer.port))
            s:settimeouts(LONG, LONG, 1)
            for _ = 1, 2000 do
                check("timeout", "timeout", select(2, s:receive()))
            end
            s:close()
            for i = 1, 1000 do
                local t = sock(LONG)
                check("connect", 1, t:connect("127.0.0.1", peer.port))
                t:settimeouts(LONG, LONG, 1)
                check("timeout", "timeout", select(2, t:receive(10)))
                if i % 2 == 0 then t:close() end
                if i % 200 == 0 then helper.collect() end
            end
            same_count("read timeouts")
        end)

        it("connect timeouts of 2 ms: 1000, against a listener that never accepts", function()
            local peer = helper.peer("hold", {no_accept = true, max_seconds = 120})
            local first = sock()
            assert.returns({1}, first:connect("127.0.0.1", peer.port)) -- fills the queue
            local s = sock(2)
            for i = 1, 1000 do
                local t = i % 2 == 0 and s or sock(2)
                check("connect timeout", "timeout", select(2, t:connect("127.0.0.1", peer.port)))
            end
            first:close()
            same_count("connect timeouts")
        end)

        it("peer resets at every stage: 3000 conversations", function()
            -- the peer resets at once, after the request, or mid-answer
            local scripts = {"sleep:5;reset", "recvline;reset", "recvline;send:abc;reset"}
            for n, script in ipairs(scripts) do
                local peer = helper.peer(script, {max_seconds = 120})
                for i = 1, 1000 do
                    local t = sock()
                    local ok, err = t:connect("127.0.0.1", peer.port)
                    if n == 1 and not ok then
                        -- the reset at once may come before this process
                        -- sees its connect complete (a loaded machine):
                        -- then the connect reports it, as it should
                        check("connect or its reset", "connection reset by peer", err)
                        check("after", "closed", select(2, t:receive(10)))
                    else
                        check("connect", 1, ok, err)
                        if n > 1 then t:send("req\n") end
                        check("reset", "connection reset by peer", select(2, t:receive(10)))
                        check("after", "closed", select(2, t:receive(10)))
                    end
                    if i % 2 == 0 then t:close() end
                    if i % 200 == 0 then helper.collect() end
                end
                peer.stop()
            end
            same_count("resets")
        end)

        it("failed TLS handshakes: 2000 against peers that close, reset or speak no TLS", function()
            local scripts = {"close", "recv:5;reset",
                             "recv:5;send:\\x15\\x03\\x03\\x00\\x02\\x02\\x28;hold",
                             "recv:5;send:HTTP/1.0 400 Bad\\r\\n\\r\\n;close"}
            for _, script in ipairs(scripts) do
                local peer = helper.peer(script, {max_seconds = 120})
                for i = 1, 500 do
                    local t = sock()
                    check("connect", 1, t:connect("127.0.0.1", peer.port))
                    check("handshake", "handshake failed",
                          select(2, t:sslhandshake(nil, "localhost", i % 2 == 0)))
                    if i % 200 == 0 then helper.collect() end
                end
                peer.stop()
            end
            same_count("failed handshakes")
        end)

        it("TLS handshakes that time out: 200 of 2 ms against a stalled peer", function()
            local peer = helper.peer("hold", {max_seconds = 120})
            for _ = 1, 200 do
                local t = sock()
                check("connect", 1, t:connect("127.0.0.1", peer.port))
                t:settimeouts(2, LONG, LONG)
                check("handshake", "timeout", select(2, t:sslhandshake(nil, "localhost", false)))
            end
            same_count("handshake timeouts")
        end)

        it("pool failures: dubious state, unread data, dead idle connections: 3000", function()
            local scripted = helper.peer("recvline;send:ab\\ncd\\n;hold", {max_seconds = 120})
            local echo = helper.peer("echo", {max_seconds = 120})
            local opts = {pool = "resources-pool", pool_size = 4}
            for i = 1, 1000 do
                local t = sock()
                if i % 2 == 0 then
                    -- "cd\n" is still in the kernel, or already in our buffer
                    check("connect", 1, t:connect("127.0.0.1", scripted.port))
                    check("send", 4, t:send("req\n"))
                    check("line", "ab", t:receive())
                    local ok, err = t:setkeepalive()
                    if ok ~= nil or (err ~= "connection in dubious state"
                                     and err ~= "unread data in buffer") then
                        error("setkeepalive: " .. tostring(ok) .. ", " .. tostring(err))
                    end
                    t:close()
                else
                    check("connect", 1, t:connect("127.0.0.1", echo.port, opts))
                    check("send", 4, t:send("req\n"))
                    check("echo", "req", t:receive())
                    check("pooled", 1, t:setkeepalive(0))
                end
            end
            -- the idle ones die with their peer, and go on the pool's next use
            echo.stop()
            for _ = 1, 2000 do
                check("dead pool", nil, sock(50):connect("127.0.0.1", echo.port, opts))
            end
            same_count("pool failures")
        end)
    end)

    describe("the garbage collector", function()
        it("closes 5000 connected sockets dropped without close, plain and TLS", function()
            local peer = helper.peer("echo", {max_seconds = 120})
            local srv = th.s_server({mode = "rev"})
            assert.returns({true}, socket.set_luasec_defaults({cafile = th.pki().ca.cert}))
            helper.collect()
            local before, before_list = fd_count()
            for i = 1, 5000 do
                local t = sock()
                if i % 50 == 0 then
                    -- s_server serves one connection at a time: this one
                    -- must be collected before the next TLS connect
                    check("tls connect", 1, t:connect("127.0.0.1", srv.port))
                    check("handshake", true, t:sslhandshake(false, "localhost", true))
                    t = nil -- luacheck: ignore 311
                    helper.collect()
                else
                    check("connect", 1, t:connect("127.0.0.1", peer.port))
                    check("send", 3, t:send("hi\n"))
                    -- an iterator holding its socket, dropped with it
                    check("line", "hi", t:receiveuntil("\n")())
                end
                if i % 500 == 0 then helper.collect() end
            end
            helper.collect()
            local after, after_list = fd_count()
            note("dropped sockets: descriptors before ", before, ", after ", after)
            assert.equal(before, after, "before " .. before_list .. "; after " .. after_list)
            assert.returns({true}, socket.set_luasec_defaults({}))
        end)
    end)

    -- what valgrind --track-fds sees open when a child interpreter closes its
    -- state with a full pool of TLS connections (pool_spec.lua checks plain
    -- TCP and unix pools the same way)
    describe("closing the Lua state", function()
        local interp = arg and arg[-1]
        local child = [=[
local cafile, ports = arg[1], {tonumber(arg[2]), tonumber(arg[3]), tonumber(arg[4])}
local socket = require "resty.luasocket"
local native = require "resty.luasocket.native"
assert(socket.set_luasec_defaults({cafile = cafile}))
local socks = {}
-- three servers (s_server serves one connection at a time), one pool;
-- pool_size 2: the third setkeepalive evicts the least recently used, and
-- `took` takes the most recent: 1 idle, 1 in use
for i = 1, 3 do
    socks[i] = native.tcp()
    socks[i]:settimeout(30000) -- valgrind: ~1 s per handshake
    assert(socks[i]:connect("127.0.0.1", ports[i], {pool = "tls", pool_size = 2}))
    assert(socks[i]:sslhandshake(false, "localhost", true))
end
for i = 1, 3 do assert(socks[i]:setkeepalive(0) == 1) end
-- and one in use, taken from the pool
local took = native.tcp()
took:settimeout(30000)
assert(took:connect("127.0.0.1", ports[1], {pool = "tls"}))
assert(took:getreusedtimes() == 1)
io.stdout:write("filled\n")
io.stdout:flush()
_G.keep = {socks, took}
if os.getenv("CHILD_EXIT") then os.exit(0) end -- the state is not closed
]=]

        local function run_child(ports, exit_early)
            local path = os.tmpname()
            local f = assert(io.open(path, "wb"))
            f:write(child)
            f:close()
            local env = exit_early and "CHILD_EXIT=1 " or ""
            if (os.getenv("LD_PRELOAD") or ""):find("asan", 1, true) then
                env = env .. "env -u LD_PRELOAD LUA_CPATH='build/" .. interp:match("[^/]*$") .. "/?.so;;' "
            end
            local p = assert(io.popen(env .. "timeout -k 5 120 valgrind --track-fds=yes --error-exitcode=99 "
                                      .. interp .. " " .. path .. " "
                                      .. th.shell_quote(th.pki().ca.cert) .. " "
                                      .. table.concat(ports, " ") .. " 2>&1"))
            local out = p:read("*a")
            p:close()
            os.remove(path)
            local open = 0
            for line in out:gmatch("[^\n]+") do
                if line:find("Open AF_INET6? socket") then open = open + 1 end
            end
            return out, open
        end

        after_each(function() th.stop_all() end)

        it("leaves no socket of a full TLS pool open (and the check sees them when it is not closed)",
           function()
            assert.truthy(interp, "the interpreter's name (arg[-1])")
            local ports = {}
            for i = 1, 3 do ports[i] = th.s_server({mode = "rev"}).port end
            local out, open = run_child(ports, true)
            assert.truthy(out:find("filled", 1, true), out)
            assert.equal(2, open, "1 idle + 1 in use, state not closed: " .. out)
            th.stop_all()
            for i = 1, 3 do ports[i] = th.s_server({mode = "rev"}).port end
            out, open = run_child(ports, false)
            assert.truthy(out:find("filled", 1, true), out)
            assert.truthy(out:find("FILE DESCRIPTORS", 1, true), out)
            assert.equal(0, open, out)
            assert.truthy(out:find("ERROR SUMMARY: 0 errors", 1, true), out)
        end)
    end)

    describe("memory over pooled request cycles", function()
        local total = FULL and 1000000 or 100000
        local mark = math.floor(total / 10)

        -- Three socket objects take turns: a socket object that is garbage
        -- still holds its receive buffer (see the next test), and how many
        -- of those wait for the collector depends on its pace, not on a
        -- leak (new objects per cycle: +2 MB of RSS between 10k and 100k
        -- cycles under Lua 5.4, none under LuaJIT). The objects' own life
        -- is checked by "the garbage collector" above and by valgrind.
        it(total .. " cycles of connect, send, receive, setkeepalive: flat from " .. mark .. " on",
           function()
            local peer = helper.peer("echo", {max_seconds = 600})
            local port = peer.port
            local socks = {native.tcp(), native.tcp(), native.tcp()}
            local at_mark, t0
            helper.collect()
            local fds = fd_count()
            t0 = native.now()
            for i = 1, total do
                local s = socks[i % 3 + 1]
                s:settimeout(LONG)
                check("connect", 1, s:connect("127.0.0.1", port))
                check("send", 5, s:send("ping\n"))
                check("receive", "ping", s:receive())
                check("setkeepalive", 1, s:setkeepalive(0))
                if i == mark then
                    helper.collect()
                    at_mark = {lua = collectgarbage("count"), rss = rss_kib()}
                end
            end
            local took = native.now() - t0
            helper.collect()
            local lua, rss = collectgarbage("count"), rss_kib()
            note(string.format("pooled cycles: %d in %.1f s; Lua heap %.0f KiB at %d, %.0f KiB at %d;"
                               .. " RSS %.0f KiB at %d, %.0f KiB at %d", total, took,
                               at_mark.lua, mark, lua, total, at_mark.rss, mark, rss, total))
            assert.truthy(lua - at_mark.lua < 64, "the Lua heap grew by " .. (lua - at_mark.lua) .. " KiB")
            assert.truthy(rss - at_mark.rss < 512, "RSS grew by " .. (rss - at_mark.rss) .. " KiB")
            -- the one pooled connection is all that is left
            assert.equal(fds + 1, fd_count())
        end)

        -- Found by this spec: close() and setkeepalive() kept the socket
        -- object's receive buffer (up to 256 KiB) until the object was
        -- collected, memory the collector does not see: 100 closed sockets
        -- that had read 100 KB each held ~12 MB. SPEC 7: reads "are freed
        -- when the call returns". conn_close now frees the buffers.
        for _, how in ipairs({"close", "setkeepalive"}) do
            it("sockets after " .. how .. "() hold no receive buffer", function()
                local peer = helper.peer("recvline;flood:100000;send:\\n;hold", {max_seconds = 60})
                local keep = {}
                helper.collect()
                local rss0 = rss_kib()
                for i = 1, 100 do
                    local s = sock()
                    check("connect", 1, s:connect("127.0.0.1", peer.port, {pool = "buf" .. i}))
                    check("send", 3, s:send("go\n"))
                    check("line", 100000, #s:receive())
                    if how == "close" then
                        check("close", 1, s:close())
                    else
                        check("setkeepalive", 1, s:setkeepalive(0))
                    end
                    keep[i] = s
                end
                helper.collect()        -- the 100 KB strings go; the sockets stay
                local grew = rss_kib() - rss0
                note(string.format("%d sockets after %s(): RSS +%.0f KiB", #keep, how, grew))
                assert.truthy(grew < 4096, "100 sockets after " .. how .. "() hold "
                              .. grew .. " KiB (their receive buffers)")
            end)
        end
    end)
end)
