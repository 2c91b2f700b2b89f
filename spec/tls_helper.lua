-- TLS helpers of the specs: a throw-away test PKI made with the openssl CLI,
-- and `openssl s_server` on 127.0.0.1 as a real TLS peer. Every server is
-- stopped by its own PID: spec/run.lua calls stop_all after each test and
-- cleanup() (which removes the PKI directory) after the last one.
--
-- Needs the openssl CLI (OpenSSL 3: `openssl ca -startdate/-enddate` make
-- the expired and not-yet-valid certificates; `-not_before` of x509/req is
-- 3.4+ only).

local M = {}
local helper = require "helper"

local live = {}         -- pid -> server, the ones not stopped yet
local pki_dir           -- the PKI, made once per process
local pki

local function shell_quote(s)
    return "'" .. tostring(s):gsub("'", [['\'']]) .. "'"
end
M.shell_quote = shell_quote

local function read_file(path)
    local f = io.open(path, "rb")
    if not f then return nil end
    local s = f:read("*a")
    f:close()
    return s
end
M.read_file = read_file

local function write_file(path, text)
    local f = assert(io.open(path, "wb"))
    f:write(text)
    f:close()
end

local function sleep(seconds)
    require("resty.luasocket.native").sleep(seconds)
end

local function mktemp_dir(tag)
    local p = assert(io.popen("mktemp -d /tmp/luasocket-" .. tag .. ".XXXXXX"))
    local dir = p:read("*l")
    p:close()
    if not dir or dir == "" then error("mktemp failed", 3) end
    return dir
end

-- runs a shell command in dir; raises with its output when it fails
local function run(dir, cmd)
    local log = dir .. "/last.log"
    local ok = os.execute("cd " .. shell_quote(dir) .. " && (" .. cmd .. ") >"
                          .. shell_quote(log) .. " 2>&1")
    if ok ~= true and ok ~= 0 then
        error("test PKI: `" .. cmd .. "` failed: " .. (read_file(log) or ""), 3)
    end
end

local CA_CNF = [[
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = .
database = index.txt
new_certs_dir = issued
serial = serial
default_md = sha256
policy = any_name
unique_subject = no
email_in_dn = no
[ any_name ]
commonName = supplied
[ server ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = $ENV::SAN
[ client ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = $ENV::SAN
[ sub_ca ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
]]

local KEY = "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"

-- a self-signed CA: NAME.pem, NAME.key
local function self_signed_ca(dir, name, cn)
    run(dir, "openssl req -x509 " .. KEY .. " -keyout " .. name .. ".key -out "
             .. name .. ".pem -days 3 -subj " .. shell_quote("/CN=" .. cn)
             .. " -addext basicConstraints=critical,CA:TRUE"
             .. " -addext keyUsage=critical,keyCertSign,cRLSign")
end

-- NAME.pem, NAME.key signed by CA (a NAME of the PKI) with the extension
-- section EXT; dates: {start =, stop =} as YYMMDDHHMMSSZ, else 3 days from now
local function issue(dir, ca, name, cn, ext, san, dates)
    run(dir, "openssl req " .. KEY .. " -keyout " .. name .. ".key -out " .. name
             .. ".csr -subj " .. shell_quote("/CN=" .. cn))
    local validity = dates and ("-startdate " .. dates.start .. " -enddate " .. dates.stop)
                     or "-days 3"
    run(dir, "SAN=" .. shell_quote(san or "DNS:unused.invalid")
             .. " openssl ca -batch -notext -config ca.cnf -cert " .. ca .. ".pem -keyfile "
             .. ca .. ".key -extensions " .. ext .. " " .. validity .. " -in "
             .. name .. ".csr -out " .. name .. ".pem")
    os.remove(dir .. "/" .. name .. ".csr")
end

local function cat(dir, out, ...)
    local parts = {}
    for i, name in ipairs({...}) do parts[i] = read_file(dir .. "/" .. name .. ".pem") end
    write_file(dir .. "/" .. out .. ".pem", table.concat(parts))
end

-- pki(): the test PKI, made on first use (under a second with EC keys).
-- Returns a table of file paths and PEM texts:
--   ca          root CA "Test Root CA" (trust this one: set_luasec_defaults{cafile = pki.ca})
--   int         intermediate CA, signed by the root
--   other_ca    an unrelated CA (trusting it verifies none of the servers)
--   client_ca   the CA of client certificates (s_server -Verify trusts it)
--   server      localhost + 127.0.0.1 (SANs DNS:localhost, IP:127.0.0.1), by the root
--   leaf_int    localhost + 127.0.0.1, by the intermediate; chain_int = leaf + int,
--               full_int = leaf + int + root (the files s_server -cert_chain takes)
--   wildcard    SAN DNS:*.example.test, by the root
--   two_names   SANs DNS:conf.test and DNS:alt.conf.test, by the root
--   partial     SAN DNS:f*.example.test (a partial wildcard), by the root
--   expired     localhost, valid in January 2020 only
--   notyet      localhost, valid from 2040
--   selfsigned  localhost + 127.0.0.1, its own issuer
--   client      CN "test client", clientAuth, by client_ca
-- Each NAME has NAME.cert and NAME.key (paths); pki.text(path) reads a file.
-- pki(dir) makes a new PKI in the existing empty directory dir instead, for
-- the caller to remove (t/diff/run.sh); pki() then still makes its own.
function M.pki(dir)
    if pki and not dir then return pki end
    local own = dir == nil
    dir = dir or mktemp_dir("pki")
    if own then pki_dir = dir end
    run(dir, "mkdir issued && : > index.txt && echo 1000 > serial")
    write_file(dir .. "/ca.cnf", CA_CNF)
    local SERVER_SAN = "DNS:localhost,IP:127.0.0.1"
    self_signed_ca(dir, "ca", "Test Root CA")
    self_signed_ca(dir, "other_ca", "Other Test CA")
    self_signed_ca(dir, "client_ca", "Test Client CA")
    issue(dir, "ca", "int", "Test Intermediate CA", "sub_ca")
    issue(dir, "ca", "server", "localhost", "server", SERVER_SAN)
    issue(dir, "int", "leaf_int", "localhost", "server", SERVER_SAN)
    issue(dir, "ca", "wildcard", "*.example.test", "server", "DNS:*.example.test")
    issue(dir, "ca", "two_names", "conf.test", "server", "DNS:conf.test,DNS:alt.conf.test")
    issue(dir, "ca", "partial", "f*.example.test", "server", "DNS:f*.example.test")
    issue(dir, "ca", "expired", "localhost", "server", SERVER_SAN,
          {start = "200101000000Z", stop = "200201000000Z"})
    issue(dir, "ca", "notyet", "localhost", "server", SERVER_SAN,
          {start = "400101000000Z", stop = "400201000000Z"})
    issue(dir, "client_ca", "client", "test client", "client", "DNS:client.test")
    run(dir, "openssl req -x509 " .. KEY .. " -keyout selfsigned.key -out selfsigned.pem"
             .. " -days 3 -subj /CN=localhost -addext subjectAltName=" .. SERVER_SAN)
    cat(dir, "chain_int", "leaf_int", "int")
    cat(dir, "full_int", "leaf_int", "int", "ca")
    local made = {dir = dir, text = read_file}
    for _, name in ipairs({"ca", "int", "other_ca", "client_ca", "server", "leaf_int",
                           "wildcard", "two_names", "partial", "expired", "notyet", "selfsigned",
                           "client", "chain_int", "full_int"}) do
        made[name] = {cert = dir .. "/" .. name .. ".pem", key = dir .. "/" .. name .. ".key"}
    end
    made.chain_int.key = made.leaf_int.key
    made.full_int.key = made.leaf_int.key
    if own then pki = made end
    return made
end

-- ocsp_response(name): a DER OCSP response "good" for the PKI entry name
-- (issued by the root), signed by the root, for s_server -status_file.
-- Returns its path.
function M.ocsp_response(name)
    local p = M.pki()
    local out = name .. ".ocsp.der"
    run(p.dir, "openssl ocsp -issuer ca.pem -cert " .. name .. ".pem -no_nonce -reqout "
               .. name .. ".ocsp.req && openssl ocsp -index index.txt -rsigner ca.pem"
               .. " -rkey ca.key -CA ca.pem -reqin " .. name .. ".ocsp.req -respout "
               .. out .. " -ndays 1")
    return p.dir .. "/" .. out
end

-- ---- openssl s_server ---------------------------------------------------------

local running = helper.running

local function stop(srv)
    if srv.stopped then return end
    srv.stopped = true
    live[srv.pid] = nil
    helper.terminate(srv)
end

-- s_server(opts): `openssl s_server` on 127.0.0.1, a port of its own choosing
-- (-accept 127.0.0.1:0; it prints the one it got). opts:
--   cert      a PKI entry ({cert =, key =}), default pki.server
--   mode      "www" (a status page for GET /: "Reused, ..." or "New, ..."),
--             "rev" (echoes every line reversed), or "sink" (the default
--             mode: prints what it receives; its stdin is a FIFO held open,
--             so that it never sees EOF there)
--   tls       "1.1", "1.2" or "1.3": only that version
--   verify_client  true: -Verify 1 with -CAfile pki.client_ca (a client
--             certificate is required)
--   args      a string of further s_server arguments
-- Waits (bounded: 10 s) for the ACCEPT line. Returns {port =, pid =, dir =,
-- log = function() (stdout .. stderr so far), stop = function}.
function M.s_server(opts)
    opts = opts or {}
    local p = M.pki()
    local cert = opts.cert or p.server
    local dir = mktemp_dir("s_server")
    local args = {"-accept 127.0.0.1:0", "-cert " .. shell_quote(cert.cert),
                  "-key " .. shell_quote(cert.key)}
    local mode = opts.mode or "sink"
    if mode == "www" then
        args[#args + 1] = "-www"
    elseif mode == "rev" then
        args[#args + 1] = "-rev"
    elseif mode ~= "sink" then
        error("unknown s_server mode " .. tostring(mode), 2)
    end
    if opts.tls then
        args[#args + 1] = "-tls" .. opts.tls:gsub("%.", "_")
    end
    if opts.verify_client then
        args[#args + 1] = "-Verify 1 -verify_return_error -CAfile "
                          .. shell_quote(p.client_ca.cert)
    end
    if opts.args then args[#args + 1] = opts.args end
    run(dir, "mkfifo stdin")
    -- popen's shell prints its pid and becomes s_server, which stays our
    -- child: stop() reaps it by closing the pipe
    local pipe = assert(io.popen("cd " .. shell_quote(dir) .. " && echo $$ && exec openssl s_server "
                                 .. table.concat(args, " ") .. " <>stdin >out 2>err", "r"))
    local pid = pipe:read("*l")
    if not (pid and pid:match("^%d+$")) then
        pipe:close()
        os.execute("rm -rf " .. shell_quote(dir))
        error("s_server did not start", 2)
    end
    local srv = {pid = pid, pipe = pipe, dir = dir, args = table.concat(args, " ")}
    srv.stop = function() stop(srv) end
    srv.log = function()
        return (read_file(dir .. "/out") or "") .. (read_file(dir .. "/err") or "")
    end
    live[pid] = srv
    for _ = 1, 200 do                   -- 10 s
        local port = (read_file(dir .. "/out") or ""):match("ACCEPT 127%.0%.0%.1:(%d+)")
        if port then
            srv.port = tonumber(port)
            return srv
        end
        if not running(pid) then break end
        sleep(0.05)
    end
    local why = srv.log()
    stop(srv)
    error("s_server did not start: " .. why, 2)
end

-- ---- build/tls_peer: what s_server cannot send ------------------------------

local function stop_peer(srv)
    if srv.stopped then return end
    srv.stopped = true
    live[srv.pid] = nil
    -- it exits (its children killed) within a fraction of a second of
    -- SIGTERM; closing the pipe waits for that
    os.execute("kill " .. srv.pid .. " 2>/dev/null")
    srv.pipe:close()
end

-- tls_peer(script[, opts]): build/tls_peer (tests/peer/tls_peer.c) on
-- 127.0.0.1, an ephemeral port, with pki.server's certificate: after each
-- TLS 1.3 handshake it runs SCRIPT (keyupdate[:N], ticket[:N], data[:N],
-- send:TEXT, sleep:MS, hold; ';' between steps). opts.max_seconds: its own
-- limit (default 20). Returns {port =, pid =, stop = function}.
function M.tls_peer(script, opts)
    opts = opts or {}
    local p = M.pki()
    if not io.open("build/tls_peer", "rb") then
        error("build/tls_peer is missing (run `make peer` from the repository root)", 2)
    end
    local pipe = assert(io.popen("echo $$; exec build/tls_peer --max-seconds "
                                 .. tostring(opts.max_seconds or 20) .. " --cert "
                                 .. shell_quote(p.server.cert) .. " --key "
                                 .. shell_quote(p.server.key) .. " " .. shell_quote(script), "r"))
    local pid = pipe:read("*l")
    local ready = pipe:read("*l")
    if not (pid and pid:match("^%d+$")) or not ready then
        if pid and pid:match("^%d+$") then os.execute("kill " .. pid .. " 2>/dev/null") end
        pipe:close()
        error("tls_peer did not start (script " .. script .. ")", 2)
    end
    local srv = {pid = pid, pipe = pipe, port = tonumber(ready:match("^port (%d+)$"))}
    srv.stop = function() stop_peer(srv) end
    live[pid] = srv
    return srv
end

-- ---- nginx with `ssl` servers ------------------------------------------------

-- the page every location answers: what nginx saw of the TLS connection
local NGX_PAGE = "pid=$pid proto=$ssl_protocol reused=$ssl_session_reused"
                 .. " sni=$ssl_server_name client=$ssl_client_s_dn"
                 .. " verify=$ssl_client_verify conn=$connection"
                 .. " req=$connection_requests\n"

local function nginx_server_block(port, name, cert, extra)
    return ([[
    server {
        listen 127.0.0.1:%d ssl%s;
        server_name %s;
        ssl_certificate %s;
        ssl_certificate_key %s;
        %s
        location / { default_type text/plain; return 200 "%s"; }
    }
]]):format(port, name == "localhost" and " default_server" or "", name,
           cert.cert, cert.key, extra, NGX_PAGE:gsub("\n", "\\n"))
end

-- A port for nginx, which cannot bind port 0 and say which it got: a random
-- one, below the kernel's ephemeral range where there is room (there no
-- connect's own end and no port-0 server takes it), and tried: nginx exits
-- when another process holds it.
local function random_port()
    local f = io.open("/proc/sys/net/ipv4/ip_local_port_range", "rb")
    local low = f and tonumber(f:read("*a"):match("^%s*(%d+)"))
    if f then f:close() end
    if low and low > 24000 then return math.random(20000, low - 1) end
    return math.random(20000, 59999)
end

-- does process pid hold the socket that listens on 127.0.0.1:port? A
-- successful connect alone could reach a server of a test running in
-- parallel, or even our own connecting socket (a connect to a free port
-- of the ephemeral range may connect to itself).
function M.listens(pid, port)
    local f = io.open("/proc/net/tcp", "rb")
    if not f then return false end
    local text = f:read("*a")
    f:close()
    -- 127.0.0.1 as the kernel prints its 4 bytes: either byte order
    local want = {[("0100007F:%04X"):format(port)] = true,
                  [("7F000001:%04X"):format(port)] = true}
    for line in text:gmatch("[^\n]+") do
        -- sl local rem st tx:rx tr:when retrnsmt uid timeout inode
        local addr, st, inode = line:match("^%s*%d+:%s+(%x+:%x+)%s+%x+:%x+%s+(%x+)"
                                        .. "%s+%S+%s+%S+%s+%S+%s+%S+%s+%S+%s+(%d+)")
        if addr and want[addr] and st == "0A" then
            return helper.holds_inode(inode, pid)
        end
    end
    return false
end

-- nginx_ssl(opts): a real nginx (no Lua in it) on 127.0.0.1 with two `ssl`
-- servers on one port: "localhost" (the default, pki.server's certificate)
-- and "*.example.test" (pki.wildcard's), picked by SNI. Every location
-- returns one line, NGX_PAGE above: the protocol, whether the session was
-- resumed ("r" or "."), the SNI name, the client certificate's subject and
-- verdict, the connection number and the request count on it. opts:
--   tls            "1.2" or "1.3": only that version (default both)
--   verify_client  "on" or "optional": client certificates of pki.client_ca
-- Session tickets and a shared session cache are on, as nginx ships them
-- in most configurations. Waits (bounded) until nginx itself listens on
-- its port (5 random ports at most, while they turn out taken); returns
-- {port =, pid =, dir =, log = function() (error.log), stop =}.
function M.nginx_ssl(opts)
    opts = opts or {}
    local p = M.pki()
    local extra = ""
    if opts.verify_client then
        extra = "ssl_verify_client " .. opts.verify_client .. "; ssl_client_certificate "
                .. p.client_ca.cert .. ";"
    end
    local protocols = opts.tls and ("TLSv" .. opts.tls) or "TLSv1.2 TLSv1.3"
    math.randomseed(os.time() + tonumber(helper.pid()))
    local last_log
    for _ = 1, 5 do
        local dir = mktemp_dir("nginx-ssl")
        local port = random_port()
        local temp = {}
        for _, t in ipairs({"client_body", "proxy", "fastcgi", "uwsgi", "scgi"}) do
            temp[#temp + 1] = ("%s_temp_path %s/%s;"):format(t, dir, t)
        end
        write_file(dir .. "/nginx.conf", ([[
daemon off;
master_process off;
worker_processes 1;
pid %s/nginx.pid;
error_log %s/error.log info;
events { worker_connections 64; }
http {
    access_log off;
    %s
    ssl_protocols %s;
    ssl_session_cache shared:TLS:1m;
    ssl_session_tickets on;
    keepalive_timeout 10s;
%s%s}
]]):format(dir, dir, table.concat(temp, " "), protocols,
           nginx_server_block(port, "localhost", p.server, extra),
           nginx_server_block(port, "*.example.test", p.wildcard, extra)))
        local pipe = assert(io.popen("echo $$; exec nginx -p " .. shell_quote(dir)
                                     .. " -e " .. shell_quote(dir .. "/error.log")
                                     .. " -c " .. shell_quote(dir .. "/nginx.conf")
                                     .. " >" .. shell_quote(dir .. "/stdout") .. " 2>&1", "r"))
        local pid = pipe:read("*l")
        local srv = {pid = pid, pipe = pipe, dir = dir, port = port}
        srv.stop = function() stop(srv) end
        srv.log = function() return read_file(dir .. "/error.log") or "" end
        if not (pid and pid:match("^%d+$")) then
            pipe:close()
            error("nginx did not start: no pid", 2)
        end
        live[pid] = srv
        for _ = 1, 200 do               -- 10 s
            if not running(pid) then break end
            if M.listens(pid, port) then return srv end
            sleep(0.05)
        end
        last_log = srv.log() .. (read_file(dir .. "/stdout") or "")
        stop(srv)
    end
    error("nginx did not start: " .. tostring(last_log), 2)
end

-- waits (at most `seconds`, default 5) until the server's output has
-- `text` (a plain string); returns whether it appeared
function M.wait_log(srv, text, seconds)
    for _ = 1, math.floor((seconds or 5) / 0.02) do
        if srv.log():find(text, 1, true) then return true end
        sleep(0.02)
    end
    return srv.log():find(text, 1, true) ~= nil
end

function M.stop_all()
    for _, srv in pairs(live) do srv.stop() end
end

-- removes the PKI (the next pki() makes a new one)
function M.cleanup()
    M.stop_all()
    if pki_dir then os.execute("rm -rf " .. shell_quote(pki_dir)) end
    pki_dir, pki = nil, nil
end

return M
