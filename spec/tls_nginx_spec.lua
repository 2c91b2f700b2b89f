-- TLS of the native socket against nginx's own `ssl` servers: the peer most
-- lua-resty clients meet in production (an HTTPS API, a TLS-terminating
-- proxy). tls_spec.lua covers the error cases against openssl s_server;
-- here nginx tells, in each page, what it saw of our side of the
-- connection: protocol, SNI name, resumed or not, client certificate,
-- connection number and request count (tls_helper.nginx_ssl).

local socket = require "resty.luasocket"
local native = require "resty.luasocket.native"
local th = require "tls_helper"

local pki

local function trust(ca)
    pki = th.pki()
    assert.returns({true}, socket.set_luasec_defaults({cafile = (ca or pki.ca).cert}))
end

local function connect(srv)
    local s = native.tcp()
    s:settimeout(5000)
    assert.returns({1}, s:connect("127.0.0.1", srv.port))
    return s
end

-- one HTTP/1.1 request; returns the status code and the fields of nginx's
-- page as a table (page.sni, page.reused, ...)
local function get(s, keepalive)
    local req = "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: "
                .. (keepalive and "keep-alive" or "close") .. "\r\n\r\n"
    assert.returns({#req}, s:send(req))
    local status_line, err = s:receive("*l")
    assert.is_string(status_line, "status line: " .. tostring(err))
    local length
    while true do
        local line = assert(s:receive("*l"))
        if line == "" then break end
        length = tonumber(line:match("^[Cc]ontent%-[Ll]ength:%s*(%d+)")) or length
    end
    local body = length and assert(s:receive(length)) or ""
    local page = {}
    for k, v in body:gmatch("(%w+)=(%S*)") do page[k] = v end
    return tonumber(status_line:match("^HTTP/1%.%d (%d+)")), page, body
end

local function after()
    th.stop_all()
    assert.returns({true}, socket.set_luasec_defaults({}))
end

describe("against nginx ssl servers", function()
    after_each(after)

    it("verifies nginx's certificate for its name; nginx sees the SNI name and TLS 1.3", function()
        trust()
        local srv = th.nginx_ssl()
        local s = connect(srv)
        assert.equal("userdata", type((s:sslhandshake(nil, "localhost", true))))
        local status, page = get(s)
        assert.equal(200, status)
        assert.equal(srv.pid, page.pid)
        assert.equal("TLSv1.3", page.proto)
        assert.equal("localhost", page.sni)
        assert.equal(".", page.reused)
        s:close()
    end)

    it("the SNI name picks nginx's server block and its wildcard certificate", function()
        trust()
        local srv = th.nginx_ssl()
        local s = connect(srv)
        assert.returns({true}, s:sslhandshake(false, "api.example.test", true))
        assert.equal(pki.text(pki.wildcard.cert), s:getpeercert())
        local status, page = get(s)
        assert.equal(200, status)
        assert.equal("api.example.test", page.sni)
        s:close()
    end)

    it("a name that nginx has no certificate for: certificate host mismatch, closed", function()
        trust()
        local srv = th.nginx_ssl()
        local s = connect(srv)
        -- nginx answers with its default server, whose certificate is for localhost
        assert.returns({nil, "certificate host mismatch"},
                       s:sslhandshake(false, "db.other.test", true))
        assert.returns({nil, "closed"}, s:send("x"))
    end)

    it("a certificate from a CA we do not trust: \"21: ...\", as against s_server", function()
        pki = th.pki()
        trust(pki.other_ca)
        local srv = th.nginx_ssl()
        local s = connect(srv)
        assert.returns({nil, "21: unable to verify the first certificate"},
                       s:sslhandshake(false, "localhost", true))
        -- without verification the same server is fine
        s = connect(srv)
        assert.returns({true}, s:sslhandshake(false, "localhost", false))
        assert.equal(200, (get(s)))
        s:close()
    end)

    for _, v in ipairs({"1.3", "1.2"}) do
        it("resumes a TLS " .. v .. " session nginx issued (tickets)", function()
            trust()
            local srv = th.nginx_ssl({tls = v})
            local s = connect(srv)
            local sess = s:sslhandshake(nil, "localhost", true)
            assert.equal("userdata", type(sess))
            local _, page = get(s)
            assert.equal("TLSv" .. v, page.proto)
            assert.equal(".", page.reused)
            s:close()
            -- on TLS 1.3 the ticket came after the handshake: the session
            -- userdata was filled when it arrived, during the GET
            local s2 = connect(srv)
            local sess2 = s2:sslhandshake(sess, "localhost", true)
            assert.equal("userdata", type(sess2))
            local _, page2 = get(s2)
            assert.equal("r", page2.reused)
            assert.equal("localhost", page2.sni)
            s2:close()
        end)
    end

    it("a pooled TLS connection is reused without a handshake: same nginx connection", function()
        trust()
        local srv = th.nginx_ssl()
        local s = connect(srv)
        assert.equal("userdata", type((s:sslhandshake(nil, "localhost", true))))
        local _, page = get(s, true)
        assert.equal("1", page.req)
        assert.returns({1}, s:setkeepalive())
        local s2 = connect(srv)
        assert.returns({1}, s2:getreusedtimes())
        assert.equal("userdata", type((s2:sslhandshake(nil, "localhost", true))))
        local _, page2 = get(s2, true)
        assert.equal(page.conn, page2.conn)
        assert.equal("2", page2.req)
        -- a server name that nginx's certificate for localhost does not
        -- cover (nginx would serve it another one) must not get that
        -- connection
        assert.returns({1}, s2:setkeepalive())
        local s3 = connect(srv)
        assert.returns({2}, s3:getreusedtimes())
        assert.returns({nil, "certificate host mismatch"},
                       s3:sslhandshake(nil, "api.example.test", true))
        assert.returns({nil, "closed"}, s3:send("x"))
    end)

    it("nginx requiring a client certificate: 400 without one, verified with setclientcert", function()
        trust()
        local srv = th.nginx_ssl({verify_client = "on"})
        local s = connect(srv)
        assert.returns({true}, s:sslhandshake(false, "localhost", true))
        assert.equal(400, (get(s)))
        s:close()
        s = connect(srv)
        assert.returns({true}, s:setclientcert(pki.text(pki.client.cert),
                                               pki.text(pki.client.key)))
        assert.returns({true}, s:sslhandshake(false, "localhost", true))
        local status, page = get(s)
        assert.equal(200, status)
        assert.equal("SUCCESS", page.verify)
        assert.equal("CN=test", page.client)   -- "CN=test client": the page splits at spaces
        s:close()
    end)

    it("an optional client certificate nginx cannot verify: FAILED on nginx's side", function()
        trust()
        local srv = th.nginx_ssl({verify_client = "optional"})
        local s = connect(srv)
        -- the server's own certificate, issued by the root, not by client_ca
        assert.returns({true}, s:setclientcert(pki.text(pki.server.cert),
                                               pki.text(pki.server.key)))
        -- "optional" makes nginx finish the handshake and answer the
        -- request with 400 ("The SSL certificate error")
        assert.returns({true}, s:sslhandshake(false, "localhost", true))
        local status, _, body = get(s)
        assert.equal(400, status)
        assert.matches("SSL certificate error", body)
        s:close()
    end)
end)
