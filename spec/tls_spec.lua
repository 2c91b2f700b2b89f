-- TLS of the native socket (SPEC 5): sslhandshake, verification and its
-- error strings, sessions, client certificates, getpeercert, pooled TLS
-- connections, close_notify, and set_luasec_defaults / get_luasec_defaults.
--
-- The peers are `openssl s_server` processes on 127.0.0.1 with a test PKI
-- made by tls_helper (openssl CLI, a temporary directory), and build/peer
-- for peers that do not speak TLS. The error strings asserted here are those
-- ngx_lua 0.10.23 gives against the same servers (t/diff/FACTS.md, "TLS");
-- where the native socket does better on purpose (TLS 1.3 resumption, IP
-- SANs, the pooled-connection check, no partial wildcards) the test says so.

local socket = require "resty.luasocket"
local native = require "resty.luasocket.native"
local helper = require "helper"
local th = require "tls_helper"

local GET = "GET / HTTP/1.0\r\n\r\n"

local pki -- made by the first test that needs it

local function trust(extra)
    pki = th.pki()
    local t = {cafile = pki.ca.cert}
    for k, v in pairs(extra or {}) do t[k] = v end
    assert.returns({true}, socket.set_luasec_defaults(t))
end

local function sock(ms)
    local s = native.tcp()
    s:settimeout(ms or 3000)
    return s
end

local function connect(srv, ms)
    local s = sock(ms)
    assert.returns({1}, s:connect("127.0.0.1", srv.port))
    return s
end

-- the status line of s_server -www's page: "New, TLSv1.3, Cipher is ..."
-- or "Reused, ..."
local function www_page(s)
    assert.returns({#GET}, s:send(GET))
    local page, err = s:receive("*a")
    assert.is_string(page, "the page: " .. tostring(err))
    return page, page:match("\n(New, [^\n]*)") or page:match("\n(Reused, [^\n]*)")
end

-- sslhandshake(...) must fail with err, and the socket is closed after it
local function fails_closed(s, err, ...)
    assert.returns({nil, err}, s:sslhandshake(...))
    assert.returns({nil, "closed"}, s:send("x"))
    assert.returns({nil, "closed"}, s:receive())
    assert.returns({nil, "closed"}, s:close())
end

local function elapsed_since(t0)
    return native.now() - t0
end

local function count(text, plain)
    local n, i = 0, 1
    while true do
        local s, e = text:find(plain, i, true)
        if not s then return n end
        n, i = n + 1, e + 1
    end
end

local function reset_defaults()
    assert.returns({true}, socket.set_luasec_defaults({}))
end

-- after each test: its servers stopped, the defaults back to the built-in ones
local function after()
    th.stop_all()
    reset_defaults()
end

describe("set_luasec_defaults / get_luasec_defaults", function()
    after_each(after)

    it("get_luasec_defaults returns a copy", function()
        reset_defaults()
        local d = socket.get_luasec_defaults()
        assert.same({}, d)
        d.cafile = "/nowhere"
        assert.same({}, socket.get_luasec_defaults())
        assert.is_false(rawequal(socket.get_luasec_defaults(), socket.get_luasec_defaults()))
    end)

    it("set_luasec_defaults keeps a copy of its table", function()
        pki = th.pki()
        local t = {cafile = pki.ca.cert, depth = 3, min_protocol = "TLSv1.2"}
        assert.returns({true}, socket.set_luasec_defaults(t))
        t.cafile = "/nowhere"
        t.ciphers = "NULL"
        assert.same({cafile = pki.ca.cert, depth = 3, min_protocol = "TLSv1.2"},
                    socket.get_luasec_defaults())
    end)

    it("rejects what is not a table", function()
        assert.has_error(function() socket.set_luasec_defaults() end,
            "bad argument #1 to 'set_luasec_defaults' (table expected, got nil)")
        assert.has_error(function() socket.set_luasec_defaults("x") end,
            "bad argument #1 to 'set_luasec_defaults' (table expected, got string)")
    end)

    it("rejects unknown keys, naming them", function()
        assert.has_error(function() socket.set_luasec_defaults({cafiel = "/x"}) end,
            "bad argument #1 to 'set_luasec_defaults' (unknown key 'cafiel')")
        assert.has_error(function() socket.set_luasec_defaults({"x"}) end,
            "bad argument #1 to 'set_luasec_defaults' (unknown key '1')")
        -- LuaSec's names are not ours
        assert.error_matches(function() socket.set_luasec_defaults({protocol = "any"}) end,
            "unknown key 'protocol'")
    end)

    it("rejects values of the wrong type", function()
        assert.has_error(function() socket.set_luasec_defaults({cafile = 1}) end,
            "bad argument #1 to 'set_luasec_defaults' (cafile: string expected, got number)")
        assert.has_error(function() socket.set_luasec_defaults({depth = "3"}) end,
            "bad argument #1 to 'set_luasec_defaults' (depth: number expected, got string)")
    end)

    it("rejects strings with a NUL byte (OpenSSL would read them cut short)", function()
        pki = th.pki()
        for _, key in ipairs({"cafile", "capath", "ciphers", "ciphersuites", "min_protocol",
                              "max_protocol", "certificate", "key"}) do
            assert.has_error(function()
                socket.set_luasec_defaults({[key] = pki.ca.cert .. "\0.junk"})
            end, "bad argument #1 to 'set_luasec_defaults' (" .. key .. ": holds a NUL byte)")
        end
        assert.same({}, socket.get_luasec_defaults())
    end)

    it("depth: a whole number from 0 to INT_MAX, else nil and why", function()
        for _, bad in ipairs({-1, 1.5, 2^31, 1e100, -1e100, math.huge, 0 / 0}) do
            local ok, err = socket.set_luasec_defaults({depth = bad})
            assert.is_nil(ok, tostring(bad))
            assert.matches("^bad depth: ", err)
        end
        assert.returns({nil, "bad depth: -1"}, socket.set_luasec_defaults({depth = -1}))
        assert.same({}, socket.get_luasec_defaults())
        assert.returns({true}, socket.set_luasec_defaults({depth = 2^31 - 1}))
        assert.returns({true}, socket.set_luasec_defaults({depth = 0}))
    end)

    it("returns nil and OpenSSL's complaint for an unusable setting, keeping the old defaults", function()
        trust()
        local old = socket.get_luasec_defaults()
        local ok, err = socket.set_luasec_defaults({cafile = "/nonexistent/ca.pem"})
        assert.is_nil(ok)
        assert.matches("^cannot load the CA certificates", err)
        assert.same(old, socket.get_luasec_defaults())
        assert.returns({nil, "bad min_protocol: TLSv9"},
                       socket.set_luasec_defaults({min_protocol = "TLSv9"}))
        ok, err = socket.set_luasec_defaults({ciphers = "NO-SUCH-CIPHER"})
        assert.is_nil(ok)
        assert.matches("^bad ciphers", err)
        ok, err = socket.set_luasec_defaults({ciphersuites = "NO_SUCH_SUITE"})
        assert.is_nil(ok)
        assert.matches("^bad ciphersuites", err)
        assert.same(old, socket.get_luasec_defaults())
        -- and the old context is still the one in use
        local srv = th.s_server({mode = "www"})
        local s = connect(srv)
        assert.is_not_nil((s:sslhandshake(nil, "localhost", true)))
        s:close()
    end)

    it("cafile: the test CA verifies; {} goes back to the system bundle, which does not", function()
        trust()
        local srv = th.s_server({mode = "www"})
        local s = connect(srv)
        assert.is_not_nil((s:sslhandshake(nil, "localhost", true)))
        s:close()
        reset_defaults()
        fails_closed(connect(srv), "21: unable to verify the first certificate",
                     nil, "localhost", true)
    end)

    it("capath: a hashed directory of CAs", function()
        pki = th.pki()
        local dir = pki.dir .. "/capath"
        assert.truthy(os.execute("mkdir -p " .. dir .. " && cp " .. pki.ca.cert .. " " .. dir
                                 .. "/ && openssl rehash " .. dir .. " >/dev/null 2>&1"))
        assert.returns({true}, socket.set_luasec_defaults({capath = dir}))
        local srv = th.s_server({mode = "www"})
        local s = connect(srv)
        assert.is_not_nil((s:sslhandshake(nil, "localhost", true)))
        s:close()
    end)

    it("depth: 0 refuses a chain through an intermediate (as lua_ssl_verify_depth 0)", function()
        pki = th.pki()
        local srv = th.s_server({mode = "www", cert = pki.leaf_int,
                                 args = "-cert_chain " .. pki.int.cert})
        trust({depth = 0})
        fails_closed(connect(srv), "20: unable to get local issuer certificate",
                     nil, "localhost", true)
        trust({depth = 1})
        local s = connect(srv)
        assert.is_not_nil((s:sslhandshake(nil, "localhost", true)))
        s:close()
    end)

    it("min_protocol and max_protocol", function()
        trust({max_protocol = "TLSv1.2"})
        local srv = th.s_server({mode = "www"})
        local s = connect(srv)
        assert.is_not_nil((s:sslhandshake(nil, "localhost", true)))
        local _, status = www_page(s)
        assert.matches("^New, TLSv1%.2,", status)
        s:close()
        trust({min_protocol = "TLSv1.3"})
        local srv12 = th.s_server({mode = "www", tls = "1.2"})
        fails_closed(connect(srv12), "handshake failed", nil, "localhost", true)
    end)

    it("ciphersuites picks the TLS 1.3 suite, ciphers the TLS 1.2 one", function()
        trust({ciphersuites = "TLS_CHACHA20_POLY1305_SHA256"})
        local srv = th.s_server({mode = "www"})
        local s = connect(srv)
        assert.is_not_nil((s:sslhandshake(nil, "localhost", true)))
        local _, status = www_page(s)
        assert.equal("New, TLSv1.3, Cipher is TLS_CHACHA20_POLY1305_SHA256", status)
        s:close()
        trust({ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256", max_protocol = "TLSv1.2"})
        s = connect(srv)
        assert.is_not_nil((s:sslhandshake(nil, "localhost", true)))
        _, status = www_page(s)
        assert.equal("New, TLSv1.2, Cipher is ECDHE-ECDSA-AES128-GCM-SHA256", status)
        s:close()
    end)

    it("certificate and key: a client certificate for every socket", function()
        pki = th.pki()
        trust({certificate = pki.client.cert, key = pki.client.key})
        local srv = th.s_server({mode = "www", verify_client = true})
        local s = connect(srv)
        assert.is_not_nil((s:sslhandshake(nil, "localhost", true)))
        local page = www_page(s)
        assert.matches("Client certificate", page)
        s:close()
        local ok, err = socket.set_luasec_defaults({certificate = pki.client.cert,
                                                    key = pki.server.key})
        assert.is_nil(ok)
        assert.matches("^cannot load the client key", err)
    end)
end)

describe("sslhandshake", function()
    before_each(function() trust() end)
    after_each(after)

    it("returns a session; data goes both ways over TLS", function()
        local srv = th.s_server({mode = "rev"})
        local s = connect(srv)
        local sess, err = s:sslhandshake(nil, "localhost", true)
        assert.equal("userdata", type(sess), err)
        assert.matches("^ssl session", tostring(sess))
        assert.returns({6}, s:send("hello\n"))
        assert.returns({"olleh"}, s:receive())
        assert.returns({4}, s:send({"ab", "c", "\n"}))
        assert.returns({"cba"}, s:receive("*l"))
        assert.returns({1}, s:close())
    end)

    it("false as first argument returns true, also a second time", function()
        local srv = th.s_server({mode = "rev"})
        local s = connect(srv)
        assert.returns({true}, s:sslhandshake(false, "localhost", true))
        assert.returns({true}, s:sslhandshake(false, "localhost", true))
        assert.equal("userdata", type((s:sslhandshake(nil, "localhost", true))))
        assert.returns({3}, s:send("ab\n"))
        assert.returns({"ba"}, s:receive())
        s:close()
    end)

    it("verifies without a server name: the chain only", function()
        local srv = th.s_server({mode = "www"})
        local s = connect(srv)
        assert.equal("userdata", type((s:sslhandshake(nil, nil, true))))
        s:close()
    end)

    it("large data both ways", function()
        local srv = th.s_server({mode = "www", args = "-WWW"})
        local f = assert(io.open(srv.dir .. "/big.txt", "wb"))
        local chunk = ("0123456789abcdef"):rep(64) -- 1 KiB
        f:write(chunk:rep(1024))
        f:close()
        local s = connect(srv)
        assert.is_not_nil((s:sslhandshake(nil, "localhost", true)))
        assert.returns({25}, s:send("GET /big.txt HTTP/1.0\r\n\r\n"))
        local header
        repeat header = s:receive() until header == "" or header == nil
        assert.returns({chunk}, s:receive(1024))
        local rest, err = s:receive("*a")
        assert.is_nil(err)
        assert.equal(1023 * 1024, #rest)
        assert.equal(chunk:rep(1023), rest)
        s:close()

        local sink = th.s_server({mode = "sink"})
        s = connect(sink)
        assert.is_not_nil((s:sslhandshake(false, "localhost", true)))
        local line = ("x"):rep(1023) .. "\n"
        assert.returns({256 * 1024 + 4}, s:send({line:rep(256), "END\n"}))
        assert.is_true(th.wait_log(sink, "END\n"), "the server got everything")
        assert.equal(256, count(sink.log(), line))
        s:close()
    end)

    describe("verification errors (as ngx_lua: \"<code>: <OpenSSL's text>\")", function()
        it("18: self-signed certificate", function()
            local srv = th.s_server({mode = "www", cert = pki.selfsigned})
            fails_closed(connect(srv), "18: self-signed certificate", nil, "localhost", true)
        end)

        it("10: certificate has expired", function()
            local srv = th.s_server({mode = "www", cert = pki.expired})
            fails_closed(connect(srv), "10: certificate has expired", nil, "localhost", true)
        end)

        it("9: certificate is not yet valid", function()
            local srv = th.s_server({mode = "www", cert = pki.notyet})
            fails_closed(connect(srv), "9: certificate is not yet valid", nil, "localhost", true)
        end)

        it("21: unable to verify the first certificate (intermediate not sent)", function()
            local srv = th.s_server({mode = "www", cert = pki.leaf_int})
            fails_closed(connect(srv), "21: unable to verify the first certificate",
                         nil, "localhost", true)
        end)

        it("an intermediate sent by the server completes the chain", function()
            local srv = th.s_server({mode = "www", cert = pki.leaf_int,
                                     args = "-cert_chain " .. pki.int.cert})
            local s = connect(srv)
            assert.equal("userdata", type((s:sslhandshake(nil, "localhost", true))))
            s:close()
        end)

        it("19: self-signed certificate in certificate chain (a root we do not trust)", function()
            trust({cafile = pki.other_ca.cert})
            local srv = th.s_server({mode = "www", cert = pki.leaf_int,
                                     args = "-cert_chain " .. pki.full_int.cert})
            fails_closed(connect(srv), "19: self-signed certificate in certificate chain",
                         nil, "localhost", true)
        end)

        it("20: unable to get local issuer certificate", function()
            trust({cafile = pki.other_ca.cert})
            local srv = th.s_server({mode = "www", cert = pki.leaf_int,
                                     args = "-cert_chain " .. pki.int.cert})
            fails_closed(connect(srv), "20: unable to get local issuer certificate",
                         nil, "localhost", true)
        end)

        it("certificate host mismatch", function()
            local srv = th.s_server({mode = "www"})
            fails_closed(connect(srv), "certificate host mismatch", nil, "wrong.test", true)
            fails_closed(connect(srv), "certificate host mismatch", nil, "localhost.", true)
        end)

        it("the chain is checked before the name", function()
            local srv = th.s_server({mode = "www", cert = pki.expired})
            fails_closed(connect(srv), "10: certificate has expired", nil, "wrong.test", true)
        end)

        it("with false as first argument the error is still returned", function()
            -- ngx_lua 0.10.23 may return true here (lua-resty-core #499/#532)
            local srv = th.s_server({mode = "www", cert = pki.expired})
            fails_closed(connect(srv), "10: certificate has expired", false, "localhost", true)
            srv = th.s_server({mode = "www"})
            fails_closed(connect(srv), "certificate host mismatch", false, "wrong.test", true)
        end)
    end)

    describe("host names", function()
        local function accepts(srv, name)
            local s = connect(srv)
            local sess, err = s:sslhandshake(nil, name, true)
            assert.equal("userdata", type(sess), name .. ": " .. tostring(err))
            s:close()
        end

        it("an IP literal matches an IP address SAN (ngx_lua: certificate host mismatch)", function()
            local srv = th.s_server({mode = "www"})
            accepts(srv, "127.0.0.1")
            fails_closed(connect(srv), "certificate host mismatch", nil, "127.0.0.2", true)
            fails_closed(connect(srv), "certificate host mismatch", nil, "::1", true)
        end)

        it("an IP literal does not match a DNS SAN of the same text", function()
            local srv = th.s_server({mode = "www", cert = pki.wildcard})
            fails_closed(connect(srv), "certificate host mismatch", nil, "127.0.0.1", true)
        end)

        it("a wildcard covers exactly one left-most label", function()
            local srv = th.s_server({mode = "www", cert = pki.wildcard})
            accepts(srv, "a.example.test")
            accepts(srv, "A.Example.TEST")
            fails_closed(connect(srv), "certificate host mismatch", nil, "example.test", true)
            fails_closed(connect(srv), "certificate host mismatch", nil, "a.b.example.test", true)
        end)

        it("no partial wildcards (ngx_lua accepts f*.example.test for foo.example.test)", function()
            local srv = th.s_server({mode = "www", cert = pki.partial})
            fails_closed(connect(srv), "certificate host mismatch", nil, "foo.example.test", true)
            fails_closed(connect(srv), "certificate host mismatch", nil, "bar.example.test", true)
        end)

        it("verify = false accepts any certificate and name", function()
            for _, cert in ipairs({pki.selfsigned, pki.expired, pki.notyet, pki.partial}) do
                local srv = th.s_server({mode = "rev", cert = cert})
                local s = connect(srv)
                assert.equal("userdata", type((s:sslhandshake(nil, "wrong.test", false))))
                assert.returns({3}, s:send("ab\n"))
                assert.returns({"ba"}, s:receive())
                s:close()
                srv.stop()
            end
        end)

        -- ngx_lua 0.10.23 sends what comes before the NUL as SNI; verified,
        -- it then says certificate host mismatch (its check of the whole
        -- name fails), unverified it returns a session
        it("a server name with a NUL byte is refused before anything is sent", function()
            local srv = th.s_server({mode = "rev"})
            for _, name in ipairs({{"localhost\0.evil.test", [[localhost\0.evil.test]]},
                                   {"\0localhost", [[\0localhost]]},
                                   {"localhost\0", [[localhost\0]]}}) do
                local s = connect(srv)
                fails_closed(s, "certificate host mismatch", nil, name[1], true)
                assert.equal("the server name holds a NUL byte: nothing was sent",
                             s:getsslerror())
                fails_closed(connect(srv), 'bad server name "' .. name[2] .. '": holds a NUL byte',
                             false, name[1], false)
            end
            -- also on a connection that is TLS already
            local s = connect(srv)
            assert.returns({true}, s:sslhandshake(false, "localhost", true))
            fails_closed(s, "certificate host mismatch", false, "localhost\0.evil.test", true)
            -- s_server (one connection at a time) saw no handshake but that one
            assert.is_true(th.wait_log(srv, "CONNECTION ESTABLISHED"))
            assert.equal(1, count(srv.log(), "CONNECTION ESTABLISHED"))
        end)

        it("the server name is sent as SNI (not for IP literals)", function()
            local srv = th.s_server({mode = "rev", args = "-servername sni.test -cert2 "
                                     .. pki.wildcard.cert .. " -key2 " .. pki.wildcard.key})
            -- s_server serves -cert2 (*.example.test) to clients whose SNI
            -- is sni.test, its -cert (localhost) to the others
            local s = connect(srv)
            assert.returns({nil, "certificate host mismatch"},
                           s:sslhandshake(nil, "sni.test", true))
            s = connect(srv)
            assert.equal("userdata", type((s:sslhandshake(nil, "localhost", true))))
            assert.equal(pki.text(pki.server.cert), s:getpeercert())
            s:close()
        end)
    end)

    describe("peers that are not TLS servers: handshake failed, socket closed", function()
        local function against(script, ...)
            local s = helper.connected(script, {timeout = 3000})
            fails_closed(s, ...)
        end

        it("a plain-text peer", function()
            against("recv:5;send:HTTP/1.1 400 Bad Request\\r\\n\\r\\n;close",
                    "handshake failed", nil, "localhost", false)
        end)

        it("a peer that closes at once, or after the first bytes", function()
            against("close", "handshake failed", nil, "localhost", false)
            against("recv:5;close", "handshake failed", nil, "localhost", false)
        end)

        it("a peer that resets during the handshake", function()
            against("recv:5;reset", "handshake failed", nil, "localhost", false)
        end)

        it("a peer that sends an alert, or a record that is no TLS", function()
            against("recv:5;send:\\x15\\x03\\x03\\x00\\x02\\x02\\x28;hold",
                    "handshake failed", nil, "localhost", false)
            against("recv:5;send:\\xff\\xff\\xff\\xff\\xff\\xff\\xff;hold",
                    "handshake failed", nil, "localhost", false)
        end)

        it("a truncated handshake record: timeout (connect timeout)", function()
            local s = helper.connected("recv:5;send:\\x16\\x03\\x03\\x00\\x02\\x00\\x00;hold",
                                       {timeout = 3000})
            s:settimeouts(300, 3000, 3000)
            fails_closed(s, "timeout", nil, "localhost", false)
        end)

        it("a TLS 1.1 server: TLS 1.2 is the minimum", function()
            local srv = th.s_server({mode = "www", tls = "1.1"})
            fails_closed(connect(srv), "handshake failed", nil, "localhost", false)
        end)

        it("a server that requires a client certificate (TLS 1.2)", function()
            local srv = th.s_server({mode = "www", tls = "1.2", verify_client = true})
            fails_closed(connect(srv), "handshake failed", nil, "localhost", true)
        end)

        it("the socket connects again after a failed handshake", function()
            local peer = helper.peer("close")
            local srv = th.s_server({mode = "rev"})
            local s = sock()
            assert.returns({1}, s:connect("127.0.0.1", peer.port))
            assert.returns({nil, "handshake failed"}, s:sslhandshake(nil, "localhost", false))
            assert.returns({1}, s:connect("127.0.0.1", srv.port))
            assert.equal("userdata", type((s:sslhandshake(nil, "localhost", true))))
            assert.returns({3}, s:send("ab\n"))
            assert.returns({"ba"}, s:receive())
            s:close()
        end)
    end)

    describe("timeouts", function()
        it("a stalled peer: timeout after the connect timeout, socket closed", function()
            local s = helper.connected("hold", {timeout = 5000})
            s:settimeouts(300, 5000, 5000)
            local t0 = native.now()
            fails_closed(s, "timeout", nil, "localhost", false)
            local took = elapsed_since(t0)
            assert.truthy(took >= 0.25 and took < 2, "took " .. took)
        end)

        it("the read and send timeouts do not bound the handshake", function()
            local s = helper.connected("hold", {timeout = 5000})
            s:settimeouts(1000, 100, 100)
            local t0 = native.now()
            assert.returns({nil, "timeout"}, s:sslhandshake(nil, "localhost", false))
            local took = elapsed_since(t0)
            assert.truthy(took >= 0.9 and took < 3, "took " .. took)
        end)

        it("a read timeout over TLS leaves the connection usable", function()
            local srv = th.s_server({mode = "rev"})
            local s = connect(srv)
            assert.is_not_nil((s:sslhandshake(false, "localhost", true)))
            s:settimeouts(3000, 3000, 200)
            local t0 = native.now()
            assert.returns({nil, "timeout", ""}, s:receive())
            assert.truthy(elapsed_since(t0) < 2)
            assert.returns({3}, s:send("ab\n"))
            assert.returns({"ba"}, s:receive())
            s:close()
        end)
    end)

    describe("state and arguments", function()
        it("on a socket never connected: raises; closed, or whose connect failed: closed", function()
            -- as resty.core does for the first; the other two are nil,
            -- "closed" there too
            assert.error_matches(function()
                local _ = native.tcp():sslhandshake(nil, "localhost", false)
            end, "socket is never created nor connected")
            local srv = th.s_server({mode = "rev"})
            local s = connect(srv)
            assert.returns({1}, s:close())
            assert.returns({nil, "closed"}, s:sslhandshake(nil, "localhost", false))
            s = sock(1000)
            local c = s:connect("127.0.0.1", helper.closed_port())
            assert.is_nil(c)
            assert.returns({nil, "closed"}, s:sslhandshake(nil, "localhost", false))
        end)

        it("1 to 5 arguments", function()
            local s = native.tcp()
            assert.has_error(function() s:sslhandshake(nil, "a", false, false, 1) end,
                "ngx.socket sslhandshake: expecting 1 ~ 5 arguments (including the object), but seen 6")
            assert.has_error(function() native.tcp_mt.__index.sslhandshake() end,
                "ngx.socket sslhandshake: expecting 1 ~ 5 arguments (including the object), but seen 0")
        end)

        it("a server name that is not a string raises", function()
            local srv = th.s_server({mode = "rev"})
            local s = connect(srv)
            assert.error_matches(function() s:sslhandshake(nil, {}, false) end,
                                 "string expected, got table")
            s:close()
        end)

        it("what is not a session in first place is ignored; verify is truthiness", function()
            local srv = th.s_server({mode = "rev"})
            for _, first in ipairs({"x", true, {}}) do
                local s = connect(srv)
                assert.equal("userdata", type((s:sslhandshake(first, "localhost", "yes"))))
                s:close()
            end
            local s = connect(srv)
            fails_closed(s, "certificate host mismatch", nil, "wrong.test", 0)
        end)

        it("send_status_req asks for a stapled OCSP response (as ngx_lua, not checked)", function()
            local resp = th.ocsp_response("server")
            local srv = th.s_server({mode = "rev", args = "-status_verbose -status_file "
                                                          .. th.shell_quote(resp)})
            local asked = "cert_status: callback called"
            local s = connect(srv)
            assert.equal("userdata", type((s:sslhandshake(nil, "localhost", true, false))))
            assert.returns({3}, s:send("ab\n"))
            assert.returns({"ba"}, s:receive())
            assert.is_nil(srv.log():find(asked, 1, true))
            s:close()
            s = connect(srv)
            assert.equal("userdata", type((s:sslhandshake(nil, "localhost", true, true))))
            assert.returns({3}, s:send("ab\n"))
            assert.returns({"ba"}, s:receive())
            assert.is_true(th.wait_log(srv, asked))
            assert.is_true(th.wait_log(srv, "Cert Status: good"))
            s:close()
        end)
    end)
end)

describe("sessions", function()
    before_each(function() trust() end)
    after_each(after)

    local function resumes(tls)
        local srv = th.s_server({mode = "www", tls = tls})
        local sess
        local seen = {}
        for i = 1, 3 do
            local s = connect(srv)
            local new, err = s:sslhandshake(sess, "localhost", true)
            assert.equal("userdata", type(new), err)
            local _, status = www_page(s)
            seen[i] = status:match("^(%a+), (TLSv[%d.]+)")
            assert.equal("TLSv" .. tls, select(2, status:match("^(%a+), (TLSv[%d.]+)")))
            s:close()
            sess = new
        end
        assert.same({"New", "Reused", "Reused"}, seen)
    end

    it("a TLS 1.2 session resumes", function() resumes("1.2") end)

    it("a TLS 1.3 session resumes (ngx_lua 0.10.23 never resumes TLS 1.3)", function()
        resumes("1.3")
    end)

    it("a TLS 1.3 ticket fills the session object when a later read brings it", function()
        local srv = th.s_server({mode = "www", tls = "1.3"})
        local s = connect(srv)
        local sess = s:sslhandshake(nil, "localhost", true)
        assert.matches("^ssl session %(none yet%)", tostring(sess))
        www_page(s)
        assert.matches("^ssl session: ", tostring(sess))
        s:close()
        -- a session that never saw its ticket: a full handshake, no error
        s = connect(srv)
        local early = s:sslhandshake(nil, "localhost", true)
        s:close()
        assert.matches("^ssl session %(none yet%)", tostring(early))
        s = connect(srv)
        assert.equal("userdata", type((s:sslhandshake(early, "localhost", true))))
        local _, status = www_page(s)
        assert.matches("^New, ", status)
        s:close()
    end)

    it("getsslsession: the current session, which resumes (1.2 and 1.3)", function()
        for _, tls in ipairs({"1.2", "1.3"}) do
            local srv = th.s_server({mode = "www", tls = tls})
            local s = connect(srv)
            assert.returns({true}, s:sslhandshake(false, "localhost", true))
            www_page(s)
            local sess = s:getsslsession()
            assert.equal("userdata", type(sess))
            assert.matches("^ssl session: ", tostring(sess))
            s:close()
            s = connect(srv)
            assert.equal("userdata", type((s:sslhandshake(sess, "localhost", true))))
            local _, status = www_page(s)
            assert.matches("^Reused, TLSv" .. tls:gsub("%.", "%%."), status)
            s:close()
        end
    end)

    it("getsslsession without TLS: no ssl session; closed socket: closed", function()
        local s, peer = helper.connected("hold")
        assert.returns({nil, "no ssl session"}, s:getsslsession())
        s:close()
        assert.returns({nil, "closed"}, s:getsslsession())
        peer.stop()
    end)

    it("a session of another server is ignored: a full handshake", function()
        local a = th.s_server({mode = "www", tls = "1.2"})
        local b = th.s_server({mode = "www", tls = "1.3"})
        local s = connect(a)
        local sess = s:sslhandshake(nil, "localhost", true)
        www_page(s)
        s:close()
        s = connect(b)
        assert.equal("userdata", type((s:sslhandshake(sess, "localhost", true))))
        local _, status = www_page(s)
        assert.matches("^New, TLSv1%.3", status)
        s:close()
    end)

    it("sessions outlive their sockets and are garbage collected", function()
        local srv = th.s_server({mode = "www"})
        helper.collect()
        local before = helper.socket_count()
        local sess
        for _ = 1, 5 do
            local s = connect(srv)
            local new = s:sslhandshake(sess, "localhost", true)
            assert.equal("userdata", type(new))
            www_page(s)
            s:close()
            s = nil -- luacheck: ignore 311
            helper.collect()
            sess = new
        end
        sess = nil -- luacheck: ignore 311
        helper.collect()
        -- at most as many: an idle connection an earlier test pooled may
        -- expire meanwhile, and the pool closes it at the next connect
        local after_count = helper.socket_count()
        assert.truthy(after_count <= before, "sockets: " .. before .. " before, "
                      .. after_count .. " after")
    end)
end)

describe("settrustedstore: the CAs of the next handshake (PEM; ngx_lua: an X509_STORE)", function()
    after_each(after)

    it("replaces the defaults for one handshake, then the defaults are back", function()
        trust({cafile = th.pki().other_ca.cert})
        local srv = th.s_server({mode = "rev"})
        local s = connect(srv)
        assert.returns({true}, s:settrustedstore(pki.text(pki.other_ca.cert)
                                                 .. pki.text(pki.ca.cert)))
        assert.returns({true}, s:sslhandshake(false, "localhost", true))
        assert.returns({3}, s:send("ab\n"))
        assert.returns({"ba"}, s:receive())
        s:close()
        -- consumed by that handshake: the socket's next one trusts the defaults
        assert.returns({1}, s:connect("127.0.0.1", srv.port))
        fails_closed(s, "21: unable to verify the first certificate", false, "localhost", true)
    end)

    it("a store without the server's CA fails even where the defaults trust it", function()
        trust()
        local srv = th.s_server({mode = "rev"})
        local s = connect(srv)
        assert.returns({true}, s:settrustedstore(pki.text(pki.other_ca.cert)))
        fails_closed(s, "21: unable to verify the first certificate", false, "localhost", true)
        -- without verification the store changes nothing
        s = connect(srv)
        assert.returns({true}, s:settrustedstore(pki.text(pki.other_ca.cert)))
        assert.returns({true}, s:sslhandshake(false, "localhost", false))
        s:close()
    end)

    it("nil forgets a store set before", function()
        trust()
        local srv = th.s_server({mode = "rev"})
        local s = connect(srv)
        assert.returns({true}, s:settrustedstore(pki.text(pki.other_ca.cert)))
        assert.returns({true}, s:settrustedstore(nil))
        assert.returns({true}, s:sslhandshake(false, "localhost", true))
        s:close()
    end)

    it("errors: closed, after the handshake, not a string, no certificate", function()
        trust()
        local ca = pki.text(pki.ca.cert)
        assert.returns({nil, "closed"}, native.tcp():settrustedstore(ca))
        local srv = th.s_server({mode = "rev"})
        local s = connect(srv)
        assert.returns({nil, "bad store arg: string expected, got number"},
                       s:settrustedstore(1))
        assert.returns({nil, "bad trusted store: no certificate in it"},
                       s:settrustedstore("junk"))
        assert.returns({nil, "bad trusted store: no certificate in it"},
                       s:settrustedstore(pki.text(pki.ca.key)))
        -- the CA before the NUL would be trusted by a reader that stops there
        assert.returns({nil, "bad trusted store: holds a NUL byte"},
                       s:settrustedstore(ca .. "\0" .. pki.text(pki.other_ca.cert)))
        assert.returns({true}, s:sslhandshake(false, "localhost", true))
        assert.returns({nil, "ssl handshake already done; trusted store cannot be changed "
                             .. "on an established TLS connection"}, s:settrustedstore(ca))
        s:close()
        assert.returns({nil, "closed"}, s:settrustedstore(ca))
    end)
end)

describe("client certificates: setclientcert", function()
    before_each(function() trust() end)
    after_each(after)

    local function cert_pem() return pki.text(pki.client.cert) end
    local function key_pem() return pki.text(pki.client.key) end

    for _, tls in ipairs({"1.2", "1.3"}) do
        it("mutual TLS " .. tls .. " with a PEM certificate and key", function()
            local srv = th.s_server({mode = "www", tls = tls, verify_client = true})
            local s = connect(srv)
            assert.returns({true}, s:setclientcert(cert_pem(), key_pem()))
            assert.equal("userdata", type((s:sslhandshake(nil, "localhost", true))))
            local page = www_page(s)
            assert.matches("Client certificate", page)
            assert.matches("test client", page)
            s:close()
        end)
    end

    it("TLS 1.3 without the required certificate: the handshake passes, the first read fails (as ngx_lua)", function()
        local srv = th.s_server({mode = "www", tls = "1.3", verify_client = true})
        local s = connect(srv)
        assert.equal("userdata", type((s:sslhandshake(nil, "localhost", true))))
        assert.returns({#GET}, s:send(GET))
        assert.returns({nil, "error", ""}, s:receive())
        assert.returns({nil, "closed"}, s:receive())
        s:close()
    end)

    it("setclientcert before connect, kept across connects", function()
        local srv = th.s_server({mode = "www", tls = "1.2", verify_client = true})
        local s = sock()
        assert.returns({true}, s:setclientcert(cert_pem(), key_pem()))
        for _ = 1, 2 do
            assert.returns({1}, s:connect("127.0.0.1", srv.port))
            assert.equal("userdata", type((s:sslhandshake(nil, "localhost", true))))
            s:close()
        end
        -- nil, nil forgets it
        assert.returns({true}, s:setclientcert(nil, nil))
        assert.returns({1}, s:connect("127.0.0.1", srv.port))
        assert.returns({nil, "handshake failed"}, s:sslhandshake(nil, "localhost", true))
    end)

    -- SPEC 5: with verification asked, the chain and the name are judged
    -- inside the handshake, so our certificate never reaches a server that
    -- fails them; ngx_lua judges them after the handshake, once the server
    -- has it
    for _, tls in ipairs({"1.2", "1.3"}) do
        it("TLS " .. tls .. ": never sent to a server that fails verification", function()
            local function run(cert, name)
                local srv = th.s_server({tls = tls, verify_client = true, cert = cert})
                local s = connect(srv)
                assert.returns({true}, s:setclientcert(cert_pem(), key_pem()))
                local ok, err = s:sslhandshake(false, name, true)
                s:close()
                -- s_server prints the certificate it gets, then DONE or ERROR
                for _ = 1, 250 do
                    local log = srv.log()
                    if log:find("CN = test client", 1, true) or log:find("DONE\n", 1, true)
                       or log:find("ERROR\n", 1, true) then
                        break
                    end
                    native.sleep(0.02)
                end
                return ok, err, srv.log():find("CN = test client", 1, true) ~= nil
            end
            -- a server that verifies: it gets the certificate (the marker works)
            local ok, err, got = run(pki.server, "localhost")
            assert.is_true(ok, err)
            assert.is_true(got, "s_server got the certificate")
            for _, c in ipairs({{pki.selfsigned, "localhost", "18: self-signed certificate"},
                                {pki.expired, "localhost", "10: certificate has expired"},
                                {pki.leaf_int, "localhost",
                                 "21: unable to verify the first certificate"},
                                {pki.server, "wrong.test", "certificate host mismatch"},
                                {pki.expired, "wrong.test", "10: certificate has expired"}}) do
                ok, err, got = run(c[1], c[2])
                assert.returns({nil, c[3], false}, ok, err, got)
            end
        end)
    end

    it("PEM text with a NUL byte is refused", function()
        local s = native.tcp()
        assert.returns({nil, "bad client certificate"},
                       s:setclientcert(cert_pem() .. "\0" .. cert_pem(), key_pem()))
        assert.returns({nil, "bad client certificate"},
                       s:setclientcert("\0" .. cert_pem(), key_pem()))
        assert.returns({nil, "bad client private key"},
                       s:setclientcert(cert_pem(), key_pem() .. "\0junk"))
        assert.returns({true}, s:setclientcert(cert_pem(), key_pem()))
    end)

    it("bad arguments (ngx_lua takes cdata from ngx.ssl.parse_pem_*)", function()
        local s = native.tcp()
        assert.returns({nil, "client certificate must be supplied with corresponding private key"},
                       s:setclientcert(cert_pem(), nil))
        assert.returns({nil, "client certificate must be supplied with corresponding private key"},
                       s:setclientcert(nil, key_pem()))
        assert.returns({nil, "bad cert arg: string expected, got number"}, s:setclientcert(1, "x"))
        assert.returns({nil, "bad pkey arg: string expected, got table"},
                       s:setclientcert(cert_pem(), {}))
        assert.returns({nil, "bad client certificate"}, s:setclientcert("junk", key_pem()))
        assert.returns({nil, "bad client private key"}, s:setclientcert(cert_pem(), "junk"))
        -- a key that is not the certificate's
        assert.returns({nil, "bad client private key"},
                       s:setclientcert(cert_pem(), pki.text(pki.server.key)))
        assert.returns({true}, s:setclientcert())
    end)
end)

describe("getsslerror: OpenSSL's reason for the last failed handshake", function()
    before_each(function() trust() end)
    after_each(after)

    it("nil before any handshake and after one that succeeded", function()
        local s = native.tcp()
        assert.is_nil(s:getsslerror())
        local srv = th.s_server({mode = "rev"})
        s = connect(srv)
        assert.returns({true}, s:sslhandshake(false, "localhost", true))
        assert.is_nil(s:getsslerror())
        s:close()
    end)

    it("the certificate a verification failed on, the name, the alert, the timeout", function()
        local srv = th.s_server({mode = "rev", cert = pki.leaf_int})
        local s = connect(srv)
        fails_closed(s, "21: unable to verify the first certificate", nil, "localhost", true)
        assert.equal("certificate verify failed at depth 0 (/CN=localhost): 21: "
                     .. "unable to verify the first certificate", s:getsslerror())
        srv = th.s_server({mode = "rev", cert = pki.wildcard})
        s = connect(srv)
        fails_closed(s, "certificate host mismatch", nil, "localhost", true)
        assert.equal("the certificate (/CN=*.example.test) is not for localhost", s:getsslerror())
        srv = th.s_server({mode = "rev", tls = "1.1"})
        s = connect(srv)
        fails_closed(s, "handshake failed", nil, "localhost", false)
        assert.matches("SSL routines", s:getsslerror())
        s = helper.connected("hold", {timeout = 3000})
        s:settimeouts(200, 3000, 3000)
        fails_closed(s, "timeout", nil, "localhost", false)
        assert.equal("the handshake did not end within the connect timeout", s:getsslerror())
        -- the next handshake starts afresh
        srv = th.s_server({mode = "rev"})
        assert.returns({1}, s:connect("127.0.0.1", srv.port))
        assert.returns({true}, s:sslhandshake(false, "localhost", true))
        assert.is_nil(s:getsslerror())
        s:close()
    end)
end)

describe("SSL_CERT_FILE and SSL_CERT_DIR", function()
    after_each(after)

    -- the variables are read when the context is made: in a child process
    -- with them set (os.setenv does not exist); it prints the handshake's
    -- results
    local function child(env, port, defaults)
        local interp = arg and arg[-1]
        assert.truthy(interp, "the interpreter's name (arg[-1])")
        local script = os.tmpname()
        local f = assert(io.open(script, "wb"))
        f:write(([[
            local socket = require "resty.luasocket"
            if %s then assert(socket.set_luasec_defaults(%s)) end
            local s = socket.tcp()
            s:settimeout(3000)
            assert(s:connect("127.0.0.1", %d))
            print(s:sslhandshake(false, "localhost", true))
        ]]):format(tostring(defaults ~= nil), defaults or "nil", port))
        f:close()
        local p = assert(io.popen(helper.child_env() .. env .. " " .. interp .. " "
                                  .. th.shell_quote(script) .. " 2>&1"))
        local out = p:read("*a")
        p:close()
        os.remove(script)
        return (out:gsub("\n$", ""))
    end

    it("are trusted before the system bundle, as OpenSSL and curl do", function()
        pki = th.pki()
        local srv = th.s_server({mode = "rev"})
        local q = th.shell_quote
        assert.equal("nil\t21: unable to verify the first certificate",
                     child("env -u SSL_CERT_FILE -u SSL_CERT_DIR", srv.port))
        assert.equal("true", child("SSL_CERT_FILE=" .. q(pki.ca.cert), srv.port))
        local dir = pki.dir .. "/certdir"
        assert.truthy(os.execute("mkdir -p " .. dir .. " && cp " .. pki.ca.cert .. " " .. dir
                                 .. "/ && openssl rehash " .. dir .. " >/dev/null 2>&1"))
        assert.equal("true", child("SSL_CERT_DIR=" .. q(dir), srv.port))
        assert.equal("true", child("SSL_CERT_FILE=" .. q(pki.other_ca.cert)
                                   .. " SSL_CERT_DIR=" .. q(dir), srv.port))
        -- set_luasec_defaults' cafile comes first
        assert.equal("nil\t21: unable to verify the first certificate",
                     child("SSL_CERT_FILE=" .. q(pki.ca.cert), srv.port,
                           "{cafile = " .. ("%q"):format(pki.other_ca.cert) .. "}"))
        -- a file that cannot be read: the handshake says why
        assert.matches("^nil\tcannot load the CA certificates of SSL_CERT_FILE / SSL_CERT_DIR: ",
                       child("SSL_CERT_FILE=/nonexistent/ca.pem", srv.port))
    end)
end)

describe("getpeercert", function()
    before_each(function() trust() end)
    after_each(after)

    it("returns the server certificate in PEM (the leaf only)", function()
        local srv = th.s_server({mode = "rev"})
        local s = connect(srv)
        assert.returns({true}, s:sslhandshake(false, "localhost", true))
        assert.equal(pki.text(pki.server.cert), s:getpeercert())
        s:close()
        srv = th.s_server({mode = "rev", cert = pki.leaf_int, args = "-cert_chain " .. pki.int.cert})
        s = connect(srv)
        assert.returns({true}, s:sslhandshake(false, "localhost", true))
        assert.equal(pki.text(pki.leaf_int.cert), s:getpeercert())
        s:close()
    end)

    it("also unverified", function()
        local srv = th.s_server({mode = "rev", cert = pki.selfsigned})
        local s = connect(srv)
        assert.returns({true}, s:sslhandshake(false, nil, false))
        assert.equal(pki.text(pki.selfsigned.cert), s:getpeercert())
        s:close()
    end)

    it("no TLS: no ssl session; closed: closed", function()
        local s = helper.connected("hold")
        assert.returns({nil, "no ssl session"}, s:getpeercert())
        s:close()
        assert.returns({nil, "closed"}, s:getpeercert())
    end)
end)

describe("pooled TLS connections", function()
    before_each(function() trust() end)
    after_each(after)

    -- a TLS connection to srv, back in the pool
    local function pooled(srv, name, verify)
        local s = connect(srv)
        assert.equal("userdata", type((s:sslhandshake(nil, name, verify))))
        assert.returns({3}, s:send("ab\n"))
        assert.returns({"ba"}, s:receive())
        assert.returns({1}, s:setkeepalive())
        return s
    end

    -- takes whatever is idle in srv's pool and closes it
    local function drain(srv)
        for _ = 1, 10 do
            local s = connect(srv)
            local reused = s:getreusedtimes()
            s:close()
            if reused == 0 then return end
        end
    end

    it("are reused without a new handshake", function()
        local srv = th.s_server({mode = "rev"})
        pooled(srv, "localhost", true)
        local s = connect(srv)
        assert.returns({1}, s:getreusedtimes())
        -- a new handshake would send a ClientHello into the server's
        -- established session, which fails it: the exchange after this
        -- shows there was none
        local sess = s:sslhandshake(nil, "localhost", true)
        assert.equal("userdata", type(sess))
        assert.returns({true}, s:sslhandshake(false, "localhost", true))
        assert.returns({3}, s:send("cd\n"))
        assert.returns({"dc"}, s:receive())
        assert.equal(1, count(srv.log(), "CONNECTION ESTABLISHED"))
        s:close()
    end)

    it("a verified connection serves an unverified handshake to the same name", function()
        local srv = th.s_server({mode = "rev"})
        pooled(srv, "localhost", true)
        local s = connect(srv)
        assert.returns({1}, s:getreusedtimes())
        assert.returns({true}, s:sslhandshake(false, "localhost", false))
        s:close()
    end)

    -- SPEC 5: a handshake on a connection that is TLS already checks the
    -- peer's certificate against the name asked now; ngx_lua 0.10.23
    -- answers yes whatever the name
    it("another name the certificate covers: returned at once, as ngx_lua does", function()
        local srv = th.s_server({mode = "rev", cert = pki.two_names})
        pooled(srv, "conf.test", true)
        local s = connect(srv)
        assert.returns({1}, s:getreusedtimes())
        assert.equal("userdata", type((s:sslhandshake(nil, "alt.conf.test", true))))
        assert.returns({true}, s:sslhandshake(false, "alt.conf.test", true))
        assert.returns({3}, s:send("cd\n"))
        assert.returns({"dc"}, s:receive())
        assert.equal(1, count(srv.log(), "CONNECTION ESTABLISHED"))
        assert.returns({1}, s:setkeepalive())
        -- an IP literal against the IP address SAN of pki.server
        local srv2 = th.s_server({mode = "rev"})
        pooled(srv2, "localhost", true)
        s = connect(srv2)
        assert.returns({1}, s:getreusedtimes())
        assert.returns({true}, s:sslhandshake(false, "127.0.0.1", true))
        s:close()
        drain(srv)
    end)

    it("a name the certificate does not cover: certificate host mismatch, closed (ngx_lua: yes)", function()
        local srv = th.s_server({mode = "rev", cert = pki.two_names})
        pooled(srv, "conf.test", true)
        local s = connect(srv)
        assert.returns({1}, s:getreusedtimes())
        fails_closed(s, "certificate host mismatch", nil, "other.conf.test", true)
        assert.matches("is not for other%.conf%.test", s:getsslerror())
        drain(srv)
    end)

    it("without verification asked, any name: returned at once, as ngx_lua does", function()
        local srv = th.s_server({mode = "rev", cert = pki.two_names})
        pooled(srv, "conf.test", true)
        local s = connect(srv)
        assert.returns({1}, s:getreusedtimes())
        assert.returns({true}, s:sslhandshake(false, "other.test", false))
        assert.returns({3}, s:send("ef\n"))
        assert.returns({"fe"}, s:receive())
        s:close()
    end)

    it("an unverified connection: its chain is verified when a handshake asks", function()
        local srv = th.s_server({mode = "rev"})
        pooled(srv, "localhost", false)
        local s = connect(srv)
        assert.returns({1}, s:getreusedtimes())
        assert.returns({true}, s:sslhandshake(false, "localhost", true))
        assert.returns({3}, s:send("ab\n"))
        assert.returns({"ba"}, s:receive())
        assert.returns({1}, s:setkeepalive())
        -- a chain that does not verify: the handshake's error, closed
        local bad = th.s_server({mode = "rev", cert = pki.selfsigned})
        pooled(bad, "localhost", false)
        s = connect(bad)
        assert.returns({1}, s:getreusedtimes())
        fails_closed(s, "18: self-signed certificate", false, "localhost", true)
        assert.matches("certificate verify failed at depth 0", s:getsslerror())
        -- verified against the defaults of now, not of its first handshake
        pooled(bad, "localhost", false)
        trust({cafile = pki.selfsigned.cert})
        s = connect(bad)
        assert.returns({1}, s:getreusedtimes())
        assert.returns({true}, s:sslhandshake(false, "localhost", true))
        s:close()
        drain(srv)
    end)

    it("a connection made without a name serves one with a name its certificate covers", function()
        local srv = th.s_server({mode = "rev"})
        pooled(srv, nil, false)
        local s = connect(srv)
        assert.returns({1}, s:getreusedtimes())
        assert.equal("userdata", type((s:sslhandshake(nil, "localhost", true))))
        assert.returns({1}, s:setkeepalive())
        s = connect(srv)
        assert.returns({2}, s:getreusedtimes())
        fails_closed(s, "certificate host mismatch", nil, "wrong.test", true)
        drain(srv)
    end)

    it("the check holds when a session is passed too", function()
        local srv = th.s_server({mode = "rev"})
        local s = connect(srv)
        local sess = s:sslhandshake(nil, "localhost", true)
        assert.returns({1}, s:setkeepalive())
        s = connect(srv)
        assert.returns({1}, s:getreusedtimes())
        fails_closed(s, "certificate host mismatch", sess, "wrong.test", true)
        -- and a covered name gets the passed session back, as in ngx_lua
        s = connect(srv)
        assert.returns({0}, s:getreusedtimes())
        assert.equal("userdata", type((s:sslhandshake(sess, "localhost", true))))
        assert.returns({1}, s:setkeepalive())
        s = connect(srv)
        assert.returns({1}, s:getreusedtimes())
        assert.returns({sess}, s:sslhandshake(sess, "127.0.0.1", true))
        s:close()
        drain(srv)
    end)

    it("on a live connection too: a second handshake for a covered name, then one that is not", function()
        local srv = th.s_server({mode = "rev", cert = pki.two_names})
        local s = connect(srv)
        assert.equal("userdata", type((s:sslhandshake(nil, "conf.test", true))))
        assert.equal("userdata", type((s:sslhandshake(nil, "alt.conf.test", true))))
        assert.returns({true}, s:sslhandshake(false, "conf.test", true))
        assert.returns({3}, s:send("gh\n"))
        assert.returns({"hg"}, s:receive())
        fails_closed(s, "certificate host mismatch", false, "wrong.test", true)
    end)

    -- ngx_lua 0.10.23 answers "connection in dubious state" here
    it("TLS 1.3 tickets that arrived unread do not spoil the connection", function()
        local srv = th.s_server({mode = "rev", tls = "1.3"})
        local s = connect(srv)
        assert.returns({true}, s:sslhandshake(false, "localhost", true))
        native.sleep(0.2)                   -- the tickets are in our socket now
        assert.returns({1}, s:setkeepalive())
        s = connect(srv)
        assert.returns({1}, s:getreusedtimes())
        assert.returns({true}, s:sslhandshake(false, "localhost", true))
        assert.returns({3}, s:send("ab\n"))
        assert.returns({"ba"}, s:receive())
        s:close()
    end)

    it("a pooled TLS connection whose server went away is not handed out", function()
        local srv = th.s_server({mode = "rev"})
        pooled(srv, "localhost", true)
        local port = srv.port
        srv.stop()
        native.sleep(0.1)
        local s = sock(1000)
        local ok, err = s:connect("127.0.0.1", port)
        assert.returns({nil, "connection refused"}, ok, err)
    end)
end)

describe("closing TLS connections", function()
    before_each(function() trust() end)
    after_each(after)

    it("close() sends close_notify (ngx_lua 0.10.23 does not)", function()
        local srv = th.s_server({mode = "sink"})
        local s = connect(srv)
        assert.returns({true}, s:sslhandshake(false, "localhost", true))
        assert.returns({6}, s:send("hello\n"))
        assert.is_true(th.wait_log(srv, "hello\n"))
        assert.returns({1}, s:close())
        -- s_server prints DONE on close_notify, ERROR on a bare EOF
        assert.is_true(th.wait_log(srv, "DONE\n"), srv.log())
        assert.is_nil(srv.log():find("ERROR\n", 1, true))
    end)

    it("a server that goes away: closed", function()
        local srv = th.s_server({mode = "rev"})
        local s = connect(srv)
        assert.returns({true}, s:sslhandshake(false, "localhost", true))
        assert.returns({3}, s:send("ab\n"))
        assert.returns({"ba"}, s:receive())
        srv.stop()
        -- as ngx_lua: the read half is closed, the write half is not
        assert.returns({nil, "closed", ""}, s:receive())
        assert.returns({2}, s:send("x\n"))
        assert.returns({1}, s:close())
    end)

    it("the garbage collector closes an abandoned TLS socket", function()
        local srv = th.s_server({mode = "rev"})
        helper.collect()
        local before = helper.socket_count()
        do
            local s = connect(srv)
            assert.returns({true}, s:sslhandshake(false, "localhost", true))
        end
        helper.collect()
        assert.equal(before, helper.socket_count())
    end)
end)

describe("per-handshake settings", function()
    -- the older form: a table of TLS settings in 4th place, over the
    -- library-wide defaults for this handshake only
    it("a cafile in 4th place is trusted for that handshake alone", function()
        pki = th.pki()
        assert.returns({true}, socket.set_luasec_defaults({}))
        local srv = th.s_server({mode = "rev"})
        local s = connect(srv)
        assert.returns({true}, s:sslhandshake(false, "localhost", true,
                                              {cafile = pki.ca.cert}))
        assert.returns({3}, s:send("ab\n"))
        assert.returns({"ba"}, s:receive())
        s:close()
        s = connect(srv)
        local ok, err = s:sslhandshake(false, "localhost", true)
        assert.is_nil(ok)
        assert.matches("^2[01]: unable to ", err)
    end)

    it("protocol bounds in 4th place", function()
        trust()
        local srv = th.s_server({mode = "www"})
        local s = connect(srv)
        assert.returns({true}, s:sslhandshake(false, "localhost", true,
                                              {max_protocol = "TLSv1.2"}))
        local _, line = www_page(s)
        assert.matches("TLSv1%.2", line)
        s:close()
    end)

    it("bad settings in 4th place: raised, or refused with the socket closed", function()
        trust()
        local srv = th.s_server({mode = "rev"})
        local s = connect(srv)
        assert.error_matches(function()
            local _ = s:sslhandshake(false, "localhost", true, {min_protocol = "SSLv3"})
        end, "bad min_protocol: SSLv3")
        fails_closed(s, "bad TLS settings", false, "localhost", true,
                     {cafile = "/nonexistent/ca.pem"})
        assert.matches("No such file", s:getsslerror())
    end)

    it("the table is checked as set_luasec_defaults checks its own, and named #4", function()
        trust()
        local srv = th.s_server({mode = "rev"})
        local s = connect(srv)
        local function raises(opts, why)
            assert.has_error(function()
                local _ = s:sslhandshake(false, "localhost", true, opts)
            end, "bad argument #4 to 'sslhandshake' (" .. why .. ")")
            -- and set_luasec_defaults says the same of the same table
            if not why:find("^bad ") then
                assert.has_error(function() socket.set_luasec_defaults(opts) end,
                                 "bad argument #1 to 'set_luasec_defaults' (" .. why .. ")")
            end
        end
        raises({min_protocol = "SSLv3"}, "bad min_protocol: SSLv3")
        raises({cafiel = pki.ca.cert}, "unknown key 'cafiel'")
        raises({protocol = "any"}, "unknown key 'protocol'")
        raises({[1] = "x"}, "unknown key '1'")
        -- a number where a string goes was taken, converted, and its
        -- string freed while OpenSSL still had to read it
        raises({ciphers = 123}, "ciphers: string expected, got number")
        raises({cafile = true}, "cafile: string expected, got boolean")
        raises({depth = "3"}, "depth: number expected, got string")
        raises({depth = -1}, "bad depth: -1")
        raises({depth = 2^40}, "bad depth: 1099511627776")
        raises({cafile = pki.ca.cert .. "\0junk"}, "cafile: holds a NUL byte")
        -- the same call with the method taken as a field: still #4
        assert.has_error(function()
            local _ = s.sslhandshake(s, false, "localhost", true, {cafiel = 1})
        end, "bad argument #4 to 'sslhandshake' (unknown key 'cafiel')")
        -- nothing was sent: the socket is still there for a good one
        assert.returns({true}, s:sslhandshake(false, "localhost", true, {depth = 3}))
        assert.returns({3}, s:send("ab\n"))
        assert.returns({"ba"}, s:receive())
        s:close()
    end)
end)

describe("tlshandshake", function()
    it("takes resty.core's options table", function()
        trust()
        local srv = th.s_server({mode = "rev"})
        local s = connect(srv)
        assert.returns({true}, s:tlshandshake({server_name = "localhost",
                                               verify = true,
                                               reused_session = false}))
        assert.returns({3}, s:send("ab\n"))
        assert.returns({"ba"}, s:receive())
        s:close()
        s = connect(srv)
        local ok, err = s:tlshandshake({server_name = "wrong.test", verify = true})
        assert.returns({nil, "certificate host mismatch"}, ok, err)
    end)

    it("sets the client certificate it is given", function()
        trust()
        local srv = th.s_server({mode = "rev", verify_client = true})
        local s = connect(srv)
        local sess = s:tlshandshake({server_name = "localhost", verify = true,
                                     client_cert = pki.text(pki.client.cert),
                                     client_priv_key = pki.text(pki.client.key)})
        assert.truthy(sess)
        assert.returns({3}, s:send("ab\n"))
        assert.returns({"ba"}, s:receive())
        s:close()
        s = connect(srv)
        assert.returns({nil, "client certificate must be supplied with "
                             .. "corresponding private key"},
                       s:tlshandshake({server_name = "localhost",
                                       client_cert = pki.text(pki.client.cert)}))
    end)

    it("wants a table", function()
        local s = sock()
        assert.error_matches(function() local _ = s:tlshandshake("x") end,
                             "bad options arg: table expected")
    end)
end)
