-- A receiveuntil iterator outlives what it reads from: used after its
-- socket was closed it answers nil, "closed" (as ngx_lua's iterator does
-- when its socket has no connection); used after the collector finalized
-- it or its socket (a finalizer can bring both back) it must answer an
-- error too, never crash. The crash cases run in a child interpreter, so
-- that a crash fails one test instead of ending the suite.

local native = require "resty.luasocket.native"
local helper = require "helper"

local interp = arg and arg[-1]

-- runs `code` in a child interpreter with the peer's port as arg[1];
-- returns its output (stderr included) and whether it exited with 0
local function child(code, port)
    local path = os.tmpname()
    local f = assert(io.open(path, "wb"))
    f:write(code)
    f:close()
    -- the child inherits LUA_PATH, LUA_CPATH (and LD_PRELOAD under make asan)
    local p = assert(io.popen(helper.child_env() .. "timeout -k 5 60 " .. interp .. " " .. path .. " " .. port
                              .. " 2>&1; echo \"exit=$?\""))
    local out = p:read("*a")
    p:close()
    os.remove(path)
    local status = out:match("exit=(%d+)%s*$")
    return out, status == "0"
end

-- what the child scripts share: an object whose finalizer runs fn (tables
-- take __gc from 5.2 on; 5.1 and LuaJIT have newproxy), a connected socket
local PRELUDE = [[
local native = require "resty.luasocket.native"
local port = tonumber(arg[1])
local function on_gc(fn)
    if newproxy then -- luacheck: ignore 113
        local p = newproxy(true) -- luacheck: ignore 113
        getmetatable(p).__gc = fn
        return p
    end
    return setmetatable({}, {__gc = fn})
end
local function connected()
    local s = native.tcp()
    s:settimeout(5000)
    assert(s:connect("127.0.0.1", port))
    return s
end
local function show(...)
    local t = {n = select("#", ...), ...}
    for i = 1, t.n do t[i] = tostring(t[i]) end
    io.stdout:write(table.concat(t, " ", 1, t.n), "\n")
    io.stdout:flush()
end
]]

describe("receiveuntil iterators that outlive their socket", function()
    it("after close(): nil, closed; also with a partial match held, and with a size", function()
        local sock = helper.connected("send:abc--X;hold")
        local it = sock:receiveuntil("--XY")
        sock:settimeout(100)
        assert.returns({nil, "timeout", "abc"}, it())       -- holds "--X"
        assert.returns({1}, sock:close())
        assert.returns({nil, "closed"}, it())
        assert.returns({nil, "closed"}, it(2))
        local it2 = sock:receiveuntil("x")
        assert.returns({nil, "closed"}, it2())
    end)

    it("the child interpreter is there", function()
        assert.truthy(interp, "the interpreter's name (arg[-1])")
    end)

    it("socket and iterator finalized and brought back: nil, closed, no crash", function()
        local peer = helper.peer("send:abc--;hold")
        local out, ok = child(PRELUDE .. [[
do
    local s = connected()
    local it = s:receiveuntil("--")
    local keep = on_gc(function() _G.it = it end) -- luacheck: ignore 211
end
collectgarbage()
collectgarbage()
assert(_G.it, "the finalizer brought the iterator back")
show(_G.it())
show(_G.it(1))
]], peer.port)
        assert.truthy(ok, out)
        assert.equal("nil closed\nnil closed\n", (out:gsub("exit=0%s*$", "")))
    end)

    -- Found by these specs: until_gc() frees the matcher when the
    -- iterator's state is finalized, and a finalizer can bring that state
    -- back; the iterator crashed in until_find(NULL, ...) until it learned
    -- to answer "closed" then.
    it("iterator finalized and brought back, its socket alive: an error, no crash",
       function()
        local peer = helper.peer("send:abc--def--;hold")
        local out, ok = child(PRELUDE .. [[
local s = connected()
do
    local it = s:receiveuntil("--")
    local keep = on_gc(function() _G.it = it end) -- luacheck: ignore 211
end
collectgarbage()
collectgarbage()
assert(_G.it, "the finalizer brought the iterator back")
local v, err = _G.it()
show(v, type(err))
-- the socket itself is unharmed
show(s:receive(5))
]], peer.port)
        assert.truthy(ok, "the child crashed: " .. out)
        assert.equal("nil string\nabc--\n", (out:gsub("exit=0%s*$", "")))
    end)

    it("socket and iterator brought back, the socket connected again: an error, no crash",
       function()
        local peer = helper.peer("send:abc--;hold")
        local out, ok = child(PRELUDE .. [[
do
    local s = connected()
    local it = s:receiveuntil("--")
    local keep = on_gc(function() _G.s, _G.it = s, it end) -- luacheck: ignore 211
end
collectgarbage()
collectgarbage()
local s = assert(_G.s, "the finalizer brought the socket back")
show(_G.it())
s:settimeout(5000)
assert(s:connect("127.0.0.1", port))
local v, err = _G.it()
show(v, type(err))
show(s:receive(5))
s:close()
]], peer.port)
        assert.truthy(ok, "the child crashed: " .. out)
        assert.equal("nil closed\nnil string\nabc--\n", (out:gsub("exit=0%s*$", "")))
    end)
end)

describe("receiveuntil iterators under the collector", function()
    it("a socket dropped with a live iterator stays open as long as the iterator", function()
        local peer = helper.peer("send:a--b--;hold")
        local it
        do
            local sock = native.tcp()
            sock:settimeout(2000)
            assert.returns({1}, sock:connect("127.0.0.1", peer.port))
            it = sock:receiveuntil("--")
        end
        helper.collect()
        assert.returns({"a"}, it())
        assert.returns({"b"}, it())
        local n = helper.socket_count()
        it = nil -- luacheck: ignore 311
        helper.collect()
        assert.equal(n - 1, helper.socket_count())
    end)
end)
