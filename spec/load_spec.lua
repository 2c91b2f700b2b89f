-- resty.luasocket.load() in plain Lua: one environment for a module and
-- every module it requires, and what that environment's require does with
-- modules of other kinds. (The clients on it: spec/clients_spec.lua and
-- t/clients.)

local socket = require "resty.luasocket"
local native = require "resty.luasocket.native"

local FIXTURES = "spec/fixtures/?.lua"

local saved_path
local function add_fixtures()
    saved_path = package.path
    package.path = FIXTURES .. ";" .. package.path
end
local function restore_path()
    package.path = saved_path
end

describe("load() of a module tree", function()
    before_each(add_fixtures)
    after_each(restore_path)

    it("runs the module and what it requires in one environment, each once", function()
        local top = socket.load("tree.top")
        assert.equal(top.ngx, top.leaf.ngx)
        assert.equal(require("resty.luasocket.ngx"), top.ngx)
        assert.equal(top.leaf, top.again)
        assert.equal(1, top.leaf.runs)
        -- load() of the required module is the same table, not a second run
        assert.equal(top.leaf, socket.load("tree.leaf"))
        assert.equal(top, socket.load("tree.top"))
    end)

    it("leaves package.loaded and _G alone", function()
        socket.load("tree.top")
        assert.is_nil(package.loaded["tree.top"])
        assert.is_nil(package.loaded["tree.leaf"])
        assert.is_nil(rawget(_G, "leaf_runs"))
        assert.is_nil(rawget(_G, "ngx"))
    end)

    it("gives modules not on package.path the real require", function()
        local top = socket.load("tree.top")
        assert.equal(string, top.string_lib)
        assert.equal(socket, top.require("resty.luasocket"))
        assert.equal(native, top.require("resty.luasocket.native"))
        assert.error_matches(function() top.require("no.such.module") end,
                             "module 'no.such.module' not found")
        assert.error_matches(function() top.require(42) end,
                             "bad argument #1 to 'require' %(string expected, got number%)")
    end)

    it("gives `bit` where the interpreter has none", function()
        local top = socket.load("tree.top")
        local ok, real = pcall(require, "bit")
        if ok then
            assert.equal(real, top.bit)
        else
            assert.equal(native.bit, top.bit)
        end
        assert.equal(5, top.bit.band(7, 13))
    end)

    it("gives coroutine.isyieldable on every interpreter", function()
        local co = socket.load("tree.top").coroutine
        assert.is_false(co.isyieldable())
        local inside
        local thread = co.create(function() inside = co.isyieldable() end)
        assert.is_true(co.resume(thread))
        assert.is_true(inside)
    end)

    it("refuses lua-resty-core's modules, which need nginx", function()
        assert.error_matches(function() socket.load("tree.core_user") end,
                             "module 'ngx.re' is lua-resty-core's, which needs nginx")
        local top = socket.load("tree.top")
        assert.error_matches(function() top.require("resty.core.base") end,
                             "module 'resty.core.base' is lua-resty-core's")
    end)

    it("says so when a module requires itself", function()
        assert.error_matches(function() socket.load("tree.loop") end,
                             "loop or previous error loading module 'tree.loop'")
    end)

    it("runs a module again after it raised", function()
        assert.error_matches(function() socket.load("tree.fails") end, "first run fails")
        assert.equal(2, socket.load("tree.fails").runs)
    end)
end)

describe("resty.luasocket.ngx, the plain-Lua ngx", function()
    local ngx = require "resty.luasocket.ngx"

    it("is what load() gives modules, and leaves the global ngx unset", function()
        add_fixtures()
        local top = socket.load("tree.top")
        restore_path()
        assert.equal(ngx, top.ngx)
        assert.is_nil(rawget(_G, "ngx"))
    end)

    it("has this library's sockets and ngx.null", function()
        assert.equal(socket.tcp, ngx.socket.tcp)
        assert.equal(socket.udp, ngx.socket.udp)
        assert.equal(socket.connect, ngx.socket.connect)
        assert.equal(native.null, ngx.null)
    end)

    it("says in ngx.config that it is not nginx", function()
        assert.equal("http", ngx.config.subsystem)
        assert.is_false(ngx.config.debug)
        assert.equal(0, ngx.config.nginx_version)
        assert.equal(10023, ngx.config.ngx_lua_version)
        assert.equal("./", ngx.config.prefix())
        assert.matches("not nginx", ngx.config.nginx_configure())
        assert.is_nil(ngx.get_phase)
    end)

    it("has a worker: this process, id 0 of 1, not exiting", function()
        local helper = require "helper"
        assert.equal(tonumber(helper.pid()), ngx.worker.pid())
        assert.equal(0, ngx.worker.id())
        assert.equal(1, ngx.worker.count())
        assert.is_false(ngx.worker.exiting())
        assert.equal("table", type(ngx.ctx))
    end)

    it("has ngx_lua's result codes", function()
        assert.equal(0, ngx.OK)
        assert.equal(-1, ngx.ERROR)
        assert.equal(-2, ngx.AGAIN)
        assert.equal(-4, ngx.DONE)
        assert.equal(-5, ngx.DECLINED)
    end)

    it("lets clients take nginx-only APIs when they load, and refuses their use", function()
        -- taking them is fine (lua-resty-http does, at load time)
        local req_socket, get_headers = ngx.req.socket, ngx.req.get_headers
        local var, header, shared = ngx.var, ngx.header, ngx.shared
        local timer_at, exit = ngx.timer.at, ngx.exit
        assert.equal("function", type(req_socket))
        assert.error_matches(function() get_headers() end,
            "ngx.req.get_headers%(%) is not available outside nginx %(resty.luasocket.ngx%)")
        assert.error_matches(function() timer_at(0, print) end,
            "ngx.timer.at%(%) is not available outside nginx")
        assert.error_matches(function() exit(200) end, "ngx.exit%(%) is not available outside nginx")
        assert.error_matches(function() return var.host end, "ngx.var.host is not available outside nginx")
        assert.error_matches(function() var.x = 1 end, "ngx.var.x is not available outside nginx")
        assert.error_matches(function() return header["X-Y"] end, "ngx.header.X%-Y is not available")
        assert.error_matches(function() return shared.cache end, "ngx.shared.cache is not available")
        assert.error_matches(function() return ngx.status end, "ngx.status is not available")
        assert.error_matches(function() ngx.status = 200 end, "ngx.status is not available")
        -- other fields are the stand-in's own, or nil
        assert.is_nil(ngx.no_such_field)
    end)

    it("writes ngx.say and ngx.print to stdout", function()
        local interp = arg and arg[-1]
        assert.truthy(interp, "the interpreter's name (arg[-1])")
        local script = [[
            local ngx = require "resty.luasocket.ngx"
            print(ngx.say("a", 1, {"b", {"c"}}, nil, true, ngx.null))
            print(ngx.print("x", "y"))
            print(ngx.flush())
        ]]
        local p = assert(io.popen(require("helper").child_env() .. interp .. " -e '"
                                  .. script .. "' 2>&1"))
        local out = p:read("*a")
        p:close()
        assert.equal("a1bcniltruenull\n1\nxy1\n1\n", out)
    end)
end)
