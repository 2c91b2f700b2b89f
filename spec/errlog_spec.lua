-- The error log of native sockets in plain Lua: nothing by default; with
-- set_log_errors(true), ngx_lua's lines for failed operations on stderr,
-- TLS failures with their reason. (Inside nginx, where it is on by
-- default and goes to error.log: t/phase.)

local helper = require "helper"
local th = require "tls_helper"

-- runs `script` in a child interpreter (this one) with the library on its
-- path; returns what it wrote to stdout and stderr, together
local function run(script)
    local interp = arg and arg[-1]
    assert.truthy(interp, "the interpreter's name (arg[-1])")
    -- stdout unbuffered: its lines and stderr's stay in order
    script = "io.stdout:setvbuf('no') " .. script
    local p = assert(io.popen(helper.child_env() .. interp .. " -e "
                              .. th.shell_quote(script) .. " 2>&1"))
    local out = p:read("*a")
    p:close()
    return out
end

describe("set_log_errors", function()
    after_each(th.stop_all)

    it("is off in plain Lua: a failure writes nothing", function()
        local port = helper.closed_port()
        local out = run(([[
            local s = require("resty.luasocket").tcp()
            print(s:connect("127.0.0.1", %d))
        ]]):format(port))
        assert.equal("nil\tconnection refused\n", out)
    end)

    it("on, writes ngx_lua's lines to stderr; off again, nothing", function()
        local port = helper.closed_port()
        local hold = helper.peer("hold")
        local out = run(([[
            local socket = require "resty.luasocket"
            print(socket.set_log_errors(true))
            local s = socket.tcp()
            print(s:connect("127.0.0.1", %d))
            print(s:connect("unix:/nonexistent/errlog.sock"))
            s:settimeout(50)
            assert(s:connect("127.0.0.1", %d))
            print(s:receive())
            print(socket.set_log_errors(false))
            print(s:receive())
        ]]):format(port, hold.port))
        assert.equal("false\n"
            .. "[error] connect() failed (111: Connection refused)\n"
            .. "nil\tconnection refused\n"
            .. "[crit] connect() to unix:/nonexistent/errlog.sock failed (2: No such file or directory)\n"
            .. "nil\tno such file or directory\n"
            .. "[error] lua tcp socket read timed out\n"
            .. "nil\ttimeout\t\n"
            .. "true\n"
            .. "nil\ttimeout\t\n", out)
    end)

    it("tells why a TLS handshake failed", function()
        local pki = th.pki()
        local srv = th.s_server({cert = pki.selfsigned})
        local plain = helper.peer("send:HTTP/1.0 400 Bad\\r\\n\\r\\n;close")
        local out = run(([[
            local socket = require "resty.luasocket"
            socket.set_log_errors(true)
            local s = socket.tcp()
            s:settimeout(5000)
            assert(s:connect("127.0.0.1", %d))
            print(s:sslhandshake(nil, "localhost", true))
            assert(s:connect("127.0.0.1", %d))
            print(s:sslhandshake(nil, "localhost", false))
        ]]):format(srv.port, plain.port))
        local lines = {}
        for line in out:gmatch("[^\n]+") do lines[#lines + 1] = line end
        assert.equal("[error] lua ssl certificate verify error: (18: self-signed certificate)",
                     lines[1])
        assert.equal("nil\t18: self-signed certificate", lines[2])
        assert.matches("^%[error%] SSL_do_handshake%(%) failed %(SSL: .+%)$", lines[3])
        assert.equal("nil\thandshake failed", lines[4])
        assert.equal(4, #lines, out)
    end)
end)
