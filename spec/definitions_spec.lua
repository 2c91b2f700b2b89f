-- types/resty.luasocket.lua, the definitions for lua-language-server: it
-- parses, and it declares exactly what the library has: every function
-- and field of the module, every method of both native sockets, every
-- method docs/manual.md documents, and nothing else.

local native = require "resty.luasocket.native"
local socket = require "resty.luasocket"

local DEFS = "types/resty.luasocket.lua"

local function read(path)
    local f = assert(io.open(path, "rb"))
    local s = f:read("*a")
    f:close()
    return s
end

-- names declared as `function <owner>.<name>(` or `function <owner>:<name>(`
local function declared(text, owner)
    local set = {}
    for name in text:gmatch("\nfunction " .. owner .. "[.:]([%w_]+)%(") do
        set[name] = true
    end
    return set
end

local function sorted(set)
    local list = {}
    for k in pairs(set) do list[#list + 1] = k end
    table.sort(list)
    return list
end

local function methods_of(mt)
    local set = {}
    for k, v in pairs(mt.__index) do
        if type(v) == "function" then set[k] = true end
    end
    return set
end

describe("the LuaLS definitions", function()
    local text = read(DEFS)

    it("parse as Lua and start with ---@meta", function()
        assert.truthy(loadfile(DEFS))
        assert.equal("---@meta resty.luasocket\n", text:sub(1, 25))
    end)

    it("declare every function and field of the module, and no other", function()
        local want = {}
        for k in pairs(socket) do want[k] = true end
        local got = declared(text, "luasocket")
        local block = text:match("\n%-%-%-@class resty%.luasocket\n(.-)\nlocal luasocket")
        assert.truthy(block, "the module's class block")
        for name in block:gmatch("%-%-%-@field ([%w_]+)") do got[name] = true end
        assert.same(sorted(want), sorted(got))
    end)

    it("declare every method of the native TCP socket, and no other", function()
        assert.same(sorted(methods_of(native.tcp_mt)), sorted(declared(text, "tcp")))
    end)

    it("declare every method of the native UDP socket, and no other", function()
        assert.same(sorted(methods_of(native.udp_mt)), sorted(declared(text, "udp")))
    end)

    it("declare every function and method of the manual", function()
        local manual = read("docs/manual.md")
        local missing = {}
        local owners = { ["socket."] = "luasocket", ["tcpsock:"] = "tcp", ["udpsock:"] = "udp" }
        local found = 0
        local fields = {}
        for name in text:gmatch("\n%-%-%-@field ([%w_]+)") do fields[name] = true end
        for prefix, name in manual:gmatch("\n### `([%a]+[.:])([%w_]+)") do
            local owner = owners[prefix]
            assert.truthy(owner, "a manual heading of unknown kind: " .. prefix .. name)
            found = found + 1
            if not (declared(text, owner)[name] or owner == "luasocket" and fields[name]) then
                missing[#missing + 1] = prefix .. name
            end
        end
        assert.truthy(found > 30, "the manual's headings were found")
        assert.same({}, missing)
    end)
end)
