-- The LuaJIT FFI path of the hot methods (src/lua/tcp_ffi.c,
-- lib/resty/luasocket/fast.lua): installed under LuaJIT only, and the
-- loops that use it compile. Its behaviour is the rest of the suite's and
-- t/diff's: both run through it under LuaJIT. Each loop below calls a
-- method every time round: were that method a lua_CFunction, the trace
-- would stitch there.

local native = require "resty.luasocket.native"
local helper = require "helper"

-- the loops below read no globals: busted gives a spec file an environment
-- whose __index is a Lua function, and a trace recorded into it aborts
local assert = assert

local LINES = 3000

-- runs f with a trace listener and checks the traces it made: a loop
-- compiled whole ("loop"), none cut short by a call the JIT cannot compile
-- such as a lua_CFunction ("stitch"), none aborted on something it cannot
-- compile ("NYI: ..."). Other aborts are the order in which the hot
-- counters (64, shared by every loop and function of the process) fire:
-- a trace started in a method that runs into the loop ("inner loop in root
-- trace") or returns below its start ("down-recursion"), after which the
-- loop compiles all the same.
local function compiles(f)
    local made, aborts = {}, {}
    local traceinfo = require("jit.util").traceinfo
    local traceerr = require("jit.vmdef").traceerr
    local function listen(what, tr, _, _, otr, oex)
        if what == "stop" then
            local info = traceinfo(tr)
            made[info.linktype] = (made[info.linktype] or 0) + 1
        elseif what == "abort" then
            local why = tostring(traceerr[otr] or otr):format(oex)
            if why:find("^NYI") then aborts[#aborts + 1] = why end
        end
    end
    -- a debug hook (the GC-stress runs set a count hook) aborts every
    -- trace it fires in: off while the loop is traced
    local hook, mask, count = debug.gethook()
    debug.sethook()
    -- so does a __gc finalizer run while a trace is recorded (LuaJIT
    -- aborts it, reason 0): the garbage of earlier tests is finalized
    -- first, and the collector rests while the loop runs
    collectgarbage("collect")
    collectgarbage("collect")
    collectgarbage("stop")
    jit.flush()
    jit.attach(listen, "trace")
    local ok, err = pcall(f)
    jit.attach(listen)
    collectgarbage("restart")
    if hook then debug.sethook(hook, mask, count) end
    assert(ok, err)
    assert.truthy((made.loop or 0) >= 1, "no loop compiled")
    assert.is_nil(made.stitch, "stitched traces")
    assert.equal(0, #aborts, table.concat(aborts, "; "))
end

-- a socket whose connection to an echo peer is in the pool, and the peer
local function pooled_echo()
    local peer = helper.peer("echo")
    local s = native.tcp()
    s:settimeout(2000)
    assert(s:connect("127.0.0.1", peer.port) == 1)
    assert(s:setkeepalive() == 1)
    return s, peer
end

describe("the LuaJIT FFI path", function()
    if type(jit) ~= "table" or os.getenv("LRLS_NO_FFI") == "1" then
        it("is not installed outside LuaJIT, nor with LRLS_NO_FFI=1", function()
            assert.equal(false, native.fast_path)
        end)
        return
    end

    it("is installed", function()
        assert.equal(true, native.fast_path)
    end)

    it("a send and receive('*l') loop compiles whole: no trace stitched or aborted", function()
        local s = helper.connected("echo")
        compiles(function()
            for i = 1, LINES do
                assert(s:send("line " .. i % 10 .. "\n") == 7)
                local l, err = s:receive()
                assert(l == "line " .. i % 10, err)
            end
        end)
        s:close()
    end)

    it("so does a loop of receiveuntil iterator calls, unsized and sized", function()
        local s = helper.connected("echo")
        local read = s:receiveuntil("--", {inclusive = false})
        compiles(function()
            for _ = 1, LINES do
                assert(s:send("abcd--efgh--") == 12)
                assert(read() == "abcd")
                assert(read(2) == "ef")
                assert(read(10) == "gh")
                assert(read(10) == nil)
            end
        end)
        s:close()
    end)

    it("takes and gives strings with NUL bytes whole", function()
        -- the FFI passes (pointer, length) both ways: nothing may stop at
        -- a NUL as a C string would
        local s = helper.connected("echo")
        assert.equal(9, s:send("a\0b\0\0c\r\n\0"))
        assert.equal("a\0b\0\0c", s:receive())
        assert.equal("\0", s:receive(1))
        assert.equal(6, s:send("\0--x\0\0"))
        local read = s:receiveuntil("-x\0")
        assert.equal("\0-", read())
        assert.equal("\0", s:receiveany(10))
        s:close()
    end)

    it("so does a receive(n) loop", function()
        local s = helper.connected("echo")
        compiles(function()
            for _ = 1, LINES do
                assert(s:send("abcd") == 4)
                assert(s:receive(4) == "abcd")
            end
        end)
        s:close()
    end)

    it("so does a receiveany loop: max above and equal to what is there", function()
        -- one byte cannot arrive split, and receiveany(1) returns exactly
        -- one of the three: no result depends on how the peer's bytes come
        local s = helper.connected("echo")
        compiles(function()
            for _ = 1, LINES do
                assert(s:send("a") == 1)
                assert(s:receiveany(100) == "a")
                assert(s:send("bcd") == 3)
                assert(s:receiveany(1) == "b")
                assert(s:receiveany(1.5) == "c")
                assert(s:receiveany(1) == "d")
            end
        end)
        s:close()
    end)

    it("so does a request loop that sets its timeouts every time", function()
        local s = helper.connected("echo")
        compiles(function()
            for i = 1, LINES do
                s:settimeout(2000 + i % 3)
                assert(s:send("x") == 1)
                s:settimeouts(2000, 2000, 2000.5 + i % 3)
                assert(s:receive(1) == "x")
            end
        end)
        -- and they return nothing, as tcp.c's do
        assert.equal(0, select("#", s:settimeout(2000)))
        assert.equal(0, select("#", s:settimeouts(2000, 2000, 2000)))
        s:close()
    end)

    it("so does a pooled request loop: connect from the pool, send, receive, setkeepalive", function()
        -- one socket object throughout: a new one per request would leave
        -- garbage whose finalizers abort the traces they run in
        local s, peer = pooled_echo()
        compiles(function()
            for i = 1, LINES do
                assert(s:connect("127.0.0.1", peer.port) == 1)
                assert(s:getreusedtimes() == i)
                assert(s:send("ping\n") == 5)
                assert(s:receive() == "ping")
                if i % 2 == 0 then
                    assert(s:setkeepalive() == 1)
                else
                    assert(s:setkeepalive(10000, 4) == 1)
                end
            end
        end)
        assert(s:connect("127.0.0.1", peer.port) == 1)
        assert.equal(LINES + 1, s:getreusedtimes())
        s:close()
    end)

    it("a request loop that makes a socket each time closes a loop trace", function()
        -- tcp() hands out sockets made ahead: were it the lua_CFunction,
        -- every trace of this loop would end stitched at it, none looping
        -- (and the batch it makes now and then is never compiled: no
        -- trace stitches there either)
        local peer = helper.peer("echo")
        local made = {}
        compiles(function()
            for i = 1, LINES do
                local s = native.tcp()
                made[s] = true
                s:settimeout(2000)
                assert(s:connect("127.0.0.1", peer.port) == 1)
                assert(s:getreusedtimes() == i - 1)
                assert(s:send("ping\n") == 5)
                assert(s:receive() == "ping")
                assert(s:setkeepalive() == 1)
            end
        end)
        local n = 0
        for _ in pairs(made) do n = n + 1 end
        assert.equal(LINES, n)
        -- nothing left in the pool: a later test whose peer gets this
        -- port would find the idle connection (gc_spec counts sockets)
        local s = native.tcp()
        s:settimeout(2000)
        assert(s:connect("127.0.0.1", peer.port) == 1)
        assert.equal(LINES, s:getreusedtimes())
        s:close()
    end)

    it("a socket made ahead is handed out as one made now", function()
        -- the read size set just before tcp() is the one the socket reads
        -- with. The size changes before each of four calls: whichever
        -- batch they came from, three at least were made under a size
        -- other than the one they are handed out under.
        local peer = helper.peer("flood:40000;hold")
        local ok, err = pcall(function()
            for i = 1, 4 do
                local size = i % 2 == 1 and 1024 or 2048
                native.set_buffer_size(size)
                local s = native.tcp()
                s:settimeout(2000)
                assert(s:connect("127.0.0.1", peer.port))
                helper.wait_until(10, "the flood", function()
                    return (helper.rx_queued(s:getfd()) or 0) >= 40000
                end)
                assert.equal(size, #assert(s:receiveany(1e6)))
                s:close()
            end
        end)
        native.set_buffer_size(16384)
        assert(ok, err)
        assert.error_matches(function() local _ = native.tcp(nil) end,
            "expecting zero arguments, but got 1")
    end)

    it("so does a getreusedtimes loop, on a connection from the pool", function()
        local s, peer = pooled_echo()
        assert(s:connect("127.0.0.1", peer.port) == 1)
        compiles(function()
            for _ = 1, LINES do
                assert(s:getreusedtimes() == 1)
            end
        end)
        s:close()
    end)
end)
