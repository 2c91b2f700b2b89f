-- Running out of memory is nil, "no memory", never a raised error (SPEC 7),
-- whichever allocation fails: the receive buffer growing, or the Lua
-- string of the data or of the partial data. A child interpreter runs with
-- its address space limited (ulimit -v) and the cap on what a read holds
-- (set_max_buffer) lifted, and reads an endless flood with every read
-- form; each must return nil, "no memory" (and partial data, possibly
-- empty), after which its read side is closed, as after any error but a
-- timeout. Before, '*l' raised "not enough memory".

local helper = require "helper"

local interp = arg and arg[-1]

local CHILD = [=[
local native = require "resty.luasocket.native"
local port = tonumber(arg[1])
if native.set_max_buffer then native.set_max_buffer(2 ^ 53) end
local function show(...)
    local t = {}
    for i = 1, select("#", ...) do t[i] = tostring((select(i, ...))) end
    return table.concat(t, ", ")
end
local READS = {
    ["*l"] = function(s) return s:receive() end,
    ["*a"] = function(s) return s:receive("*a") end,
    ["a huge size"] = function(s) return s:receive(2 ^ 40) end,
    -- data that fits in the buffer but not a second time, in a string
    ["100 MiB"] = function(s) return s:receive(100 * 1024 * 1024) end,
    ["receiveuntil"] = function(s) return s:receiveuntil("\r\n--boundary")() end,
    ["receiveuntil with a size"] = function(s) return s:receiveuntil("\r\n--boundary")(2 ^ 40) end,
}
for _, name in ipairs({"*l", "*a", "a huge size", "100 MiB", "receiveuntil",
                       "receiveuntil with a size"}) do
    local s = native.tcp()
    s:settimeout(30000)
    assert(s:connect("127.0.0.1", port))
    local ok, data, err, partial = pcall(READS[name], s)
    print(name .. ": " .. (ok and (tostring(data) .. ", " .. tostring(err) .. ", "
                                   .. type(partial))
                              or "raised " .. tostring(data)))
    data, partial = nil, nil
    collectgarbage()
    print(name .. " then: " .. show(s:receive(1)))
    s:close()
end
]=]

describe("out of memory", function()
    it("every read form returns nil, \"no memory\", and closes the read side", function()
        assert.truthy(interp, "the interpreter's name (arg[-1])")
        local peer = helper.peer("flood:1000000000000;hold", {max_seconds = 60})
        local path = os.tmpname()
        local f = assert(io.open(path, "wb"))
        f:write(CHILD)
        f:close()
        -- the ASan runtime (make asan preloads it) cannot run in a limited
        -- address space: the limited shell and the child then run without
        -- it, and the child loads the plain build
        local env = ""
        if (os.getenv("LD_PRELOAD") or ""):find("asan", 1, true) then
            env = "env -u LD_PRELOAD LUA_CPATH='build/" .. interp:match("[^/]*$") .. "/?.so;;' "
        end
        -- 160 MB: the interpreter and its libraries need some 10 to 30 MB
        local p = assert(io.popen(helper.child_env() .. env
                                  .. "sh -c 'ulimit -v 160000; exec timeout -k 5 120 "
                                  .. interp .. " " .. path .. " " .. peer.port
                                  .. "' 2>&1; echo \"exit=$?\""))
        local out = p:read("*a")
        p:close()
        os.remove(path)
        peer.stop()
        local want = {}
        for _, name in ipairs({"*l", "*a", "a huge size", "100 MiB", "receiveuntil",
                               "receiveuntil with a size"}) do
            want[#want + 1] = name .. ": nil, no memory, string"
            want[#want + 1] = name .. " then: nil, closed"
        end
        want[#want + 1] = "exit=0"
        assert.equal(table.concat(want, "\n") .. "\n", out)
    end)
end)
