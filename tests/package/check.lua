-- tests/package/check.lua PORT CAFILE ROOT: run by tests/package/run.sh
-- from outside the clone, with LUA_PATH and LUA_CPATH naming only one
-- installed tree (ROOT). Requires the library as a user would, connects to
-- the local TLS server on PORT and does a verified handshake and a request.
-- Prints one line per check; exits non-zero on the first failure.

local port, cafile, root = tonumber(arg[1]), arg[2], arg[3]

local function check(what, cond, detail)
    if not cond then
        io.stderr:write("check.lua: ", what, ": ", tostring(detail), "\n")
        os.exit(1)
    end
    print("ok " .. what)
end

local socket = require "resty.luasocket"
local native = require "resty.luasocket.native"

-- both halves come from ROOT, not from the clone
local lua_src = debug.getinfo(socket.tcp, "S").source
check("the Lua files come from the tree", lua_src:sub(1, #root + 1) == "@" .. root, lua_src)
local so
for line in io.lines("/proc/self/maps") do
    so = so or line:match("%s(/%S*/resty/luasocket/native%.so)$")
end
check("the module comes from the tree", so and so:find(root, 1, true) == 1, so)
check("it says its version", type(socket._VERSION) == "string", socket._VERSION)
if type(jit) == "table" then
    check("LuaJIT takes the FFI path", native.fast_path == true, native.fast_path)
end

assert(socket.set_luasec_defaults({ cafile = cafile }))
local sock = socket.tcp()
check("a native socket", getmetatable(sock) == socket.luasocket_mt, tostring(sock))
sock:settimeout(5000)
local ok, err = sock:connect("127.0.0.1", port)
check("connect", ok == 1, err)
local session
session, err = sock:sslhandshake(nil, "localhost", true)
check("a verified TLS handshake", session ~= nil, err)
ok, err = sock:send("GET / HTTP/1.0\r\n\r\n")
check("send", ok == 18, err)
local line
line, err = sock:receive("*l")
check("the server's answer", line and line:find("^HTTP/1%.0 200") ~= nil, line or err)
sock:close()

-- verification is really on: the certificate is for localhost only
sock = socket.tcp()
sock:settimeout(5000)
ok, err = sock:connect("127.0.0.1", port)
check("connect again", ok == 1, err)
ok, err = sock:sslhandshake(nil, "other.test", true)
check("a name the certificate lacks is refused", ok == nil and err == "certificate host mismatch", err)
