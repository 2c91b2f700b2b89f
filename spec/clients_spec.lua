-- resty.luasocket.load() and the unmodified Debian lua-resty clients on it:
-- lua-nginx-redis (nginx.redis = resty.redis 0.27) and lua-nginx-memcached
-- (nginx.memcached = resty.memcached 0.13), against a real redis-server and
-- memcached that each test starts (helper.server) on 127.0.0.1.
--
-- Debian installs both clients under /usr/share/lua/5.1, which only the 5.1
-- interpreters search; for 5.2+ the tests add it to package.path themselves
-- (and put the old path back afterwards).

local socket = require "resty.luasocket"
local native = require "resty.luasocket.native"
local helper = require "helper"

local CLIENTS = "/usr/share/lua/5.1/?.lua"
local FIXTURES = "spec/fixtures/?.lua"

local saved_path
local function add_paths()
    saved_path = package.path
    for _, p in ipairs({CLIENTS, FIXTURES}) do
        if not (";" .. package.path .. ";"):find(";" .. p .. ";", 1, true) then
            package.path = package.path .. ";" .. p
        end
    end
end
local function restore_path()
    if saved_path then package.path = saved_path end
end

-- the 5.3/5.4 interpreters have no global unpack (5.2's is a compat option)
local has_global_unpack = rawget(_G, "unpack") ~= nil

local function sorted(t)
    table.sort(t)
    return t
end

describe("load()", function()
    before_each(add_paths)
    after_each(restore_path)

    it("returns the module, the same table on a second call, and leaves package.loaded alone", function()
        local redis = socket.load("nginx.redis")
        assert.equal("table", type(redis))
        assert.equal("0.27", redis._VERSION)
        assert.equal(redis, socket.load("nginx.redis"))
        assert.is_nil(package.loaded["nginx.redis"])
        local probe = socket.load("ngx_probe")
        assert.equal(probe, socket.load("ngx_probe"))
        assert.is_nil(package.loaded["ngx_probe"])
    end)

    it("passes the module name and its file to the chunk, as require does", function()
        local probe = socket.load("ngx_probe")
        assert.equal("ngx_probe", probe.args[1])
        assert.equal("spec/fixtures/ngx_probe.lua", probe.args[2])
    end)

    it("binds ngx.socket.tcp, stream, udp and connect to this library", function()
        local probe = socket.load("ngx_probe")
        assert.equal(socket.tcp, probe.tcp)
        assert.equal(socket.tcp, probe.ngx.socket.tcp)
        assert.equal(socket.stream, probe.ngx.socket.stream)
        assert.equal(socket.udp, probe.ngx.socket.udp)
        assert.equal(socket.connect, probe.ngx.socket.connect)
        local sock = probe.tcp()
        assert.equal(socket.luasocket_mt, getmetatable(sock))
        sock:close()
    end)

    it("gives plain Lua an ngx shim: null, now, sleep, time, update_time, log levels", function()
        local ngx = socket.load("ngx_probe").ngx
        assert.equal(native.null, ngx.null)
        assert.equal("userdata", type(ngx.null))
        assert.equal(native.now, ngx.now)
        assert.equal(native.sleep, ngx.sleep)
        assert.truthy(math.abs(ngx.now() - os.time()) < 2, "now() is wall-clock seconds")
        assert.truthy(math.abs(ngx.time() - os.time()) <= 1, "time() is os.time()")
        assert.equal(ngx.time(), math.floor(ngx.time()))
        assert.is_nil(ngx.update_time())
        local t0 = ngx.now()
        ngx.sleep(0.05)
        assert.truthy(ngx.now() - t0 >= 0.04, "sleep(0.05) waited")
        -- ngx_lua's values, from ngx-run
        local levels = {STDERR = 0, EMERG = 1, ALERT = 2, CRIT = 3, ERR = 4,
                        WARN = 5, NOTICE = 6, INFO = 7, DEBUG = 8}
        for name, value in pairs(levels) do
            assert.equal(value, ngx[name], name)
        end
        -- not nginx: no phases, and nginx_version says no to any test
        assert.is_nil(ngx.get_phase)
        assert.equal("http", ngx.config.subsystem)
        assert.equal(0, ngx.config.nginx_version)
    end)

    it("escape_uri escapes as ngx_lua 0.10.23 does (types 2, the default, and 0)", function()
        local all = {}
        for i = 0, 255 do all[#all + 1] = string.char(i) end
        all = table.concat(all)
        local low, high = {}, {}
        for i = 0, 0x1f do low[#low + 1] = string.format("%%%02X", i) end
        for i = 0x80, 0xff do high[#high + 1] = string.format("%%%02X", i) end
        low, high = table.concat(low), table.concat(high)
        -- what ngx.escape_uri(all) and ngx.escape_uri(all, 0) print in nginx
        local component = low .. "%20!%22%23%24%25%26'()*%2B%2C-.%2F0123456789%3A%3B%3C%3D%3E%3F%40"
            .. "ABCDEFGHIJKLMNOPQRSTUVWXYZ%5B%5C%5D%5E_%60abcdefghijklmnopqrstuvwxyz%7B%7C%7D~%7F"
            .. high
        local uri = low .. [[%20!"%23$%25&'()*+,-./0123456789:;<=>%3F@]]
            .. [[ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~%7F]]
            .. high
        local ngx = socket.load("ngx_probe").ngx
        assert.equal(component, ngx.escape_uri(all))
        assert.equal(component, ngx.escape_uri(all, 2))
        assert.equal(uri, ngx.escape_uri(all, 0))
        assert.equal("x%20y/z%3F", ngx.escape_uri("x y/z?", 0))
        -- arguments as ngx_lua takes them
        assert.equal("", ngx.escape_uri(nil))
        assert.equal("", ngx.escape_uri(false))
        assert.equal("12.5", ngx.escape_uri(12.5))
        assert.equal("true", ngx.escape_uri(true))
        assert.error_matches(function() ngx.escape_uri("a b", "2") end, '"type" is not a number')
        -- the other types: t/diff cases 239-240 compare all of them with nginx
        assert.equal("a%20b", ngx.escape_uri("a b", 1))
    end)

    it("unescape_uri decodes as ngx_lua 0.10.23 does", function()
        local ngx = socket.load("ngx_probe").ngx
        -- each pair: what ngx.unescape_uri(input) gave in nginx
        local cases = {
            {"a+b%20c%zz%4%41%e4%B8%AD%", "a b c%zz%4A\228\184\173%"},
            {"%%41", "%A"},
            {"%4g%41", "%4gA"},
            {"%a", "%a"},
            {"%x41%+%", "%x41% %"},
            {"%2b%2B+", "++ "},
            {"%2f%2F%C3%a9%%25%2", "//\195\169%%%2"},
            {"%00x", "\0x"},
        }
        for _, c in ipairs(cases) do
            assert.equal(c[2], ngx.unescape_uri(c[1]), c[1])
        end
        assert.equal("", ngx.unescape_uri(nil))
        assert.equal("12", ngx.unescape_uri(12))
        local s = "k\0 /é?&=+%"
        assert.equal(s, ngx.unescape_uri(ngx.escape_uri(s)))
    end)

    it("ngx.log writes ERR and more severe levels to stderr, and drops the rest", function()
        local interp = arg and arg[-1]
        assert.truthy(interp, "the interpreter's name (arg[-1])")
        local script = [[
            package.path = "spec/fixtures/?.lua;" .. package.path
            local ngx = require("resty.luasocket").load("ngx_probe").ngx
            ngx.log(ngx.ERR, "an error ", 1, " ", nil, " ", true)
            ngx.log(ngx.CRIT, "crit")
            ngx.log(ngx.WARN, "a warning")
            ngx.log(ngx.INFO, "info")
            ngx.log(ngx.DEBUG, "debug")
            io.stdout:write("stdout\n")
            print(pcall(ngx.log, "x"))
        ]]
        local p = assert(io.popen(helper.child_env() .. interp .. " -e '" .. script .. "' 2>&1"))
        local out = p:read("*a")
        p:close()
        assert.equal("[error] [lua] (command line):3: an error 1 nil true\n"
                     .. "[crit] [lua] (command line):4: crit\n"
                     .. "stdout\n"
                     .. "false\tbad argument #1 to 'log' (number expected, got string)\n",
                     (out:gsub("%[string \"[^\"]*\"%]", "(command line)")))
    end)

    it("keeps the module's own globals in its environment and reads the rest from _G", function()
        local probe = socket.load("ngx_probe")
        assert.equal("set by ngx_probe", probe.global)
        assert.is_nil(rawget(_G, "probe_global"))
        assert.equal(_G, probe.G)
        assert.is_nil(rawget(_G, "ngx"))
    end)

    it("gives the module a global unpack on every Lua (5.3/5.4 have none; the redis client needs it)", function()
        local probe = socket.load("ngx_probe")
        assert.equal("function", type(probe.unpack))
        assert.equal(rawget(_G, "unpack") or table.unpack, probe.unpack)
        -- and _G stays as it was: on 5.3/5.4 it still has no unpack
        if _VERSION == "Lua 5.3" or _VERSION == "Lua 5.4" then
            assert.is_false(has_global_unpack)
            assert.is_nil(rawget(_G, "unpack"))
        end
    end)

    it("raises require's errors", function()
        assert.error_matches(function() socket.load("no.such.module") end,
                             "module 'no.such.module' not found:\n\tno file '[^\n]*no/such/module.lua'")
        assert.error_matches(function() socket.load(42) end,
                             "bad argument #1 to 'load' %(string expected, got number%)")
        assert.error_matches(function() socket.load() end,
                             "bad argument #1 to 'load' %(string expected, got nil%)")
    end)
end)

describe("nginx.redis (lua-nginx-redis 0.27, unmodified) on the native socket", function()
    local redis, srv

    before_each(function()
        add_paths()
        srv = helper.server("redis")
        redis = socket.load("nginx.redis")
    end)
    after_each(restore_path)

    -- one request's client: connected, checked to be on a native socket,
    -- and reused `reused` times
    local function client(reused)
        local red = assert(redis:new())
        red:set_timeout(2000)
        assert.equal(1, red:connect("127.0.0.1", srv.port))
        assert.equal(socket.luasocket_mt, getmetatable(red._sock))
        assert.equal(reused, red:get_reused_times())
        return red
    end

    it("runs string commands, with set_keepalive between requests", function()
        local sockets = helper.socket_count()

        local red = client(0)
        assert.equal("OK", red:set("dog", "an animal"))
        assert.equal("an animal", red:get("dog"))
        assert.equal(native.null, red:get("no such key"))
        assert.equal(1, red:set_keepalive(10000, 10))

        red = client(1)
        assert.equal(1, red:incr("n"))
        assert.equal(2, red:incr("n"))
        assert.equal(42, red:incrby("n", 40))      -- a lazily made method
        assert.equal("OK", red:mset("a", "1", "b", "2"))
        assert.equal({"1", "2", native.null}, red:mget("a", "b", "c"))
        assert.equal(2, red:del("a", "b"))
        assert.equal(1, red:set_keepalive(10000, 10))

        red = client(2)
        assert.returns({false, "ERR value is not an integer or out of range"}, red:incr("dog"))
        assert.equal(1, red:expire("dog", 100))
        local ttl = red:ttl("dog")
        assert.truthy(ttl > 90 and ttl <= 100, "ttl " .. tostring(ttl))
        assert.equal(1, red:close())

        -- the last request closed the pooled connection: nothing left open
        assert.equal(sockets, helper.socket_count())
    end)

    it("runs hash, list and set commands, a script and a pipeline", function()
        local red = client(0)
        -- the table form goes through the client's global unpack
        assert.equal("OK", red:hmset("h", {name = "rex", legs = 4}))
        assert.equal("OK", red:hmset("h2", "x", "1", "y", "2"))
        local h = red:array_to_hash(red:hgetall("h"))
        assert.equal({name = "rex", legs = "4"}, h)
        assert.equal("2", red:hget("h2", "y"))
        assert.equal(3, red:lpush("l", "c", "b", "a"))
        assert.equal({"a", "b", "c"}, red:lrange("l", 0, -1))
        assert.equal(2, red:sadd("s", "x", "y"))
        assert.equal({"x", "y"}, sorted(red:smembers("s")))
        assert.equal("hi there", red:eval("return ARGV[1] .. ' ' .. ARGV[2]", 0, "hi", "there"))
        assert.equal(1, red:set_keepalive(10000, 10))

        red = client(1)
        red:init_pipeline()
        red:set("p", "v")
        red:get("p")
        red:incr("p")
        red:incr("pn")
        red:get("missing")
        local results = red:commit_pipeline()
        assert.equal({"OK", "v", {false, "ERR value is not an integer or out of range"}, 1,
                      native.null}, results)
        assert.equal(1, red:set_keepalive(10000, 10))

        red = client(2)
        assert.equal("v", red:get("p"))
        assert.equal(1, red:close())
    end)

    it("reuses one server connection: get_reused_times() grows by one per request", function()
        local id
        for i = 1, 10 do
            local red = client(i - 1)
            -- the server sees one client connection all along
            local this_id = red:client("id")
            assert.equal("number", type(this_id))
            id = id or this_id
            assert.equal(id, this_id)
            assert.equal(i, red:incr("requests"))
            if i < 10 then
                assert.equal(1, red:set_keepalive(10000, 10))
            else
                assert.equal(1, red:close())
            end
        end
    end)

    it("gives a blocked command the client's timeout (BLPOP), and the next client a fresh connection", function()
        local red = client(0)
        red:set_timeout(200)
        local t0 = native.now()
        assert.returns({nil, "timeout"}, red:blpop("empty list", 5))
        local took = native.now() - t0
        assert.truthy(took >= 0.15 and took < 2, "waited " .. took .. " s")
        -- the client closed the socket on the timeout: it cannot be pooled
        assert.returns({nil, "closed"}, red:set_keepalive(10000, 10))
        red = client(0)
        assert.equal("PONG", red:ping())
        assert.equal(1, red:close())
    end)
end)

describe("nginx.memcached (lua-nginx-memcached 0.13, unmodified) on the native socket", function()
    local memcached, srv

    before_each(function()
        add_paths()
        srv = helper.server("memcached")
        memcached = socket.load("nginx.memcached")
    end)
    after_each(restore_path)

    local function client(reused)
        local memc = assert(memcached:new())
        memc:set_timeout(2000)
        assert.equal(1, memc:connect("127.0.0.1", srv.port))
        assert.equal(socket.luasocket_mt, getmetatable(memc.sock))
        assert.equal(reused, memc:get_reused_times())
        return memc
    end

    it("runs set, get, add, incr, decr and delete, with set_keepalive between requests", function()
        local sockets = helper.socket_count()

        local memc = client(0)
        assert.equal(1, memc:set("dog", 32))
        assert.returns({"32", "0"}, memc:get("dog"))
        assert.equal(1, memc:set("cat", "meow", 0, 7))
        assert.returns({"meow", "7"}, memc:get("cat"))
        assert.returns({nil, "NOT_STORED"}, memc:add("dog", "x"))
        assert.returns({n = 3}, memc:get("no such key"))
        assert.equal(1, memc:set_keepalive(10000, 10))

        memc = client(1)
        assert.equal("42", memc:incr("dog", 10))
        assert.equal("40", memc:decr("dog", 2))
        assert.returns({nil, "CLIENT_ERROR cannot increment or decrement non-numeric value"},
                       memc:incr("cat", 1))
        assert.equal(1, memc:delete("dog"))
        assert.returns({nil, "NOT_FOUND"}, memc:delete("dog"))
        assert.returns({n = 3}, memc:get("dog"))
        assert.equal(1, memc:set_keepalive(10000, 10))

        memc = client(2)
        assert.truthy(memc:version():match("^%d+%.%d+"), "a version number")
        assert.equal(1, memc:close())

        assert.equal(sockets, helper.socket_count())
    end)

    it("escapes keys with the shim's escape_uri and unescapes them in multi-get", function()
        local memc = client(0)
        local key = "a key/with spaces+é"
        assert.equal(1, memc:set(key, "spaced"))
        assert.equal(1, memc:set("plain", {"a", {"b", "c"}}))   -- a nested table value
        assert.returns({"spaced", "0"}, memc:get(key))
        local got = memc:get({key, "plain", "missing"})
        assert.equal({[key] = {"spaced", "0"}, plain = {"abc", "0"}}, got)
        assert.equal(1, memc:set_keepalive(10000, 10))

        -- the key went over the wire escaped: ask for it as it is stored,
        -- with a client whose keys are not transformed
        local function same(k) return k end
        memc = assert(memcached:new({key_transform = {same, same}}))
        memc:set_timeout(2000)
        assert.equal(1, memc:connect("127.0.0.1", srv.port))
        assert.equal(1, memc:get_reused_times())
        assert.returns({"spaced", "0"}, memc:get("a%20key%2Fwith%20spaces%2B%C3%A9"))
        assert.equal(1, memc:flush_all())
        assert.returns({n = 3}, memc:get(key))
        assert.equal(1, memc:close())
    end)

    it("reuses one server connection: get_reused_times() grows by one per request", function()
        local memc = client(0)
        assert.equal(1, memc:set("n", 0))
        assert.equal(1, memc:set_keepalive(10000, 10))
        for i = 1, 9 do
            memc = client(i)
            assert.equal(tostring(i), memc:incr("n", 1))
            local stats = memc:stats()
            local conns
            for _, line in ipairs(stats) do
                conns = conns or tonumber(line:match("^STAT curr_connections (%d+)$"))
            end
            -- memcached counts its listening socket as one connection
            assert.truthy(conns and conns <= 2, "memcached sees " .. tostring(conns) .. " connections")
            if i < 9 then
                assert.equal(1, memc:set_keepalive(10000, 10))
            else
                assert.equal(1, memc:close())
            end
        end
    end)
end)
