---@meta resty.luasocket
-- Definitions of resty.luasocket for lua-language-server (LuaLS): add this
-- folder to `workspace.library` (see the README). Nothing here runs.
-- Inside nginx, in a phase with cosockets, tcp() and udp() return ngx_lua's
-- own objects (`tcpsock` and `udpsock` in OpenResty's definitions); the
-- classes below are the native sockets, which have the same methods plus
-- the extras marked (native only).

---@class resty.luasocket
---@field _VERSION string this library's version
---@field in_nginx boolean true inside nginx with ngx_lua
---@field luasocket_mt table the metatable of native TCP sockets
local luasocket = {}

---A TCP socket for the current context: the cosocket where the nginx phase
---has one, a native socket elsewhere.
---@return resty.luasocket.tcp
function luasocket.tcp() end

---The same as tcp().
---@return resty.luasocket.tcp
function luasocket.stream() end

---A UDP socket: ngx.socket.udp() where cosockets exist, a native one elsewhere.
---@return resty.luasocket.udp
function luasocket.udp() end

---tcp() then connect(); the socket, or nil and the error.
---@param host string a host name, an IP address, or "unix:/path"
---@param port? integer|resty.luasocket.connect_opts
---@param opts? resty.luasocket.connect_opts
---@return resty.luasocket.tcp? sock
---@return string? err
function luasocket.connect(host, port, opts) end

---Native sockets in `phase` even where cosockets exist; the previous setting.
---@param phase string an nginx phase name, as ngx.get_phase() says it
---@param on boolean
---@return boolean previous
function luasocket.force_luasocket(phase, on) end

---Never a native socket in `phase`; the previous setting.
---@param phase string
---@param on boolean
---@return boolean previous
function luasocket.disable_luasocket(phase, on) end

---Whether the current nginx phase has cosockets; false outside nginx.
---@return boolean
function luasocket.has_cosockets() end

---A copy of the TLS defaults of native sockets ({} until set).
---@return resty.luasocket.tls_settings
function luasocket.get_luasec_defaults() end

---Replaces the TLS defaults of native sockets with a copy of `t`.
---Unknown keys, wrong types and strings with a NUL byte raise.
---@param t resty.luasocket.tls_settings
---@return true|nil ok
---@return string? err
function luasocket.set_luasec_defaults(t) end

---The read size of native sockets made from now on: 512 bytes to 64 MiB
---(default 16 KiB).
---@param n integer
function luasocket.set_buffer_size(n) end

---The most one read of native sockets made from now on may hold: 512 bytes
---to 2^53 (default 16 MiB).
---@param n integer
function luasocket.set_max_buffer(n) end

---Whether native sockets log their failures as ngx_lua does; the previous
---setting.
---@param on boolean
---@return boolean previous
function luasocket.set_log_errors(on) end

---Loads an unmodified lua-resty module (and what it requires) whose
---ngx.socket.tcp/stream/udp are this library's.
---@param modname string
---@return any module
function luasocket.load(modname) end

---@class resty.luasocket.connect_opts
---@field pool? string|number the pool's name (default "host:port" or the unix path)
---@field pool_size? integer how many connections the pool keeps
---@field backlog? integer how many connects may wait for a pool slot

---@class resty.luasocket.tls_settings
---@field cafile? string PEM file of the trusted CAs
---@field capath? string folder of hashed CA files
---@field min_protocol? "TLSv1"|"TLSv1.1"|"TLSv1.2"|"TLSv1.3" TLSv1.2 unless set
---@field max_protocol? "TLSv1"|"TLSv1.1"|"TLSv1.2"|"TLSv1.3"
---@field ciphers? string OpenSSL's cipher list (TLS 1.2)
---@field ciphersuites? string OpenSSL's TLS 1.3 suites
---@field depth? integer the verify depth
---@field certificate? string PEM file of a client certificate (and chain)
---@field key? string PEM file of its private key

---@class resty.luasocket.tlshandshake_opts
---@field reused_session? userdata|false a session from getsslsession() or sslhandshake()
---@field server_name? string SNI, and the name verified
---@field verify? boolean
---@field ocsp_status_req? boolean
---@field client_cert? string PEM certificate (native sockets)
---@field client_priv_key? string PEM private key (native sockets)

---@alias resty.luasocket.option "keepalive"|"reuseaddr"|"tcp-nodelay"|"sndbuf"|"rcvbuf"

---An iterator from receiveuntil(): each call reads up to the pattern, or
---at most `size` bytes of the data before it.
---@alias resty.luasocket.reader fun(size?: integer): string?, string?, string?

---A native TCP socket (a cosocket inside nginx's cosocket phases).
---@class resty.luasocket.tcp
local tcp = {}

---@param host string a host name, an IP address, or "unix:/path"
---@param port? integer|resty.luasocket.connect_opts
---@param opts? resty.luasocket.connect_opts
---@return 1|nil ok
---@return string? err
function tcp:connect(host, port, opts) end

---Sends a string, number, boolean or (nested) array of strings and numbers.
---@param data string|number|boolean|table
---@return integer? bytes
---@return string? err
function tcp:send(data) end

---"*l" (the default: a line without its CR LF), "*a", or a byte count.
---@param pattern? "*l"|"*a"|integer
---@return string? data
---@return string? err
---@return string? partial
function tcp:receive(pattern) end

---Whatever has arrived, up to `max` bytes.
---@param max integer
---@return string? data
---@return string? err
function tcp:receiveany(max) end

---@param pattern string
---@param opts? { inclusive?: boolean }
---@return resty.luasocket.reader
function tcp:receiveuntil(pattern, opts) end

---One timeout (ms) for connect, send and reads.
---@param ms integer
function tcp:settimeout(ms) end

---@param connect_ms integer
---@param send_ms integer
---@param read_ms integer
function tcp:settimeouts(connect_ms, send_ms, read_ms) end

---@param name resty.luasocket.option
---@param value boolean|integer
---@return true|nil ok
---@return string? err
function tcp:setoption(name, value) end

---@param name resty.luasocket.option
---@return boolean|integer|nil value
---@return string? err
function tcp:getoption(name) end

---The local address to connect from.
---@param ip string
---@return 1|nil ok
---@return string? err
function tcp:bind(ip) end

---The socket's descriptor (native sockets: a blocking one).
---@return integer? fd
---@return string? err
function tcp:getfd() end

---@return 1|nil ok
---@return string? err
function tcp:close() end

---Puts the connection in the keepalive pool.
---@param timeout? integer ms a pooled connection may stay idle (0: forever)
---@param size? integer the pool's size
---@return 1|nil ok
---@return string? err
function tcp:setkeepalive(timeout, size) end

---How many times the connection came from the pool.
---@return integer? count
---@return string? err
function tcp:getreusedtimes() end

---@param session? userdata|false a session to resume
---@param server_name? string
---@param verify? boolean
---@param send_status_req? boolean|resty.luasocket.tls_settings native sockets also take a table of settings here
---@return userdata|boolean|nil session
---@return string? err
function tcp:sslhandshake(session, server_name, verify, send_status_req) end

---sslhandshake with resty.core's options table.
---@param opts? resty.luasocket.tlshandshake_opts
---@return userdata|boolean|nil session
---@return string? err
function tcp:tlshandshake(opts) end

---(native only) The TLS session, for a later sslhandshake.
---@return userdata? session
---@return string? err
function tcp:getsslsession() end

---The client certificate of the next handshake (native: PEM text).
---@param cert string PEM: the certificate, then any intermediates
---@param key string PEM private key
---@return true|nil ok
---@return string? err
function tcp:setclientcert(cert, key) end

---The CAs the next verifying handshake trusts (native: PEM text).
---@param ca_pem? string one or more CA certificates; nil forgets them
---@return true|nil ok
---@return string? err
function tcp:settrustedstore(ca_pem) end

---(native only) The server's certificate, PEM.
---@return string? pem
---@return string? err
function tcp:getpeercert() end

---(native only) Why the last sslhandshake failed, in OpenSSL's words.
---@return string? reason
function tcp:getsslerror() end

---A native UDP socket (a cosocket inside nginx's cosocket phases).
---@class resty.luasocket.udp
local udp = {}

---@param host string a host name, an IP address, or "unix:/path"
---@param port? integer
---@return 1|nil ok
---@return string? err
function udp:setpeername(host, port) end

---@param data string|number|boolean|table
---@return 1|nil ok
---@return string? err
function udp:send(data) end

---One datagram, at most `size` bytes (default 8192).
---@param size? integer
---@return string? data
---@return string? err
function udp:receive(size) end

---@param ms integer
function udp:settimeout(ms) end

---@param ip string
---@return 1|nil ok
---@return string? err
function udp:bind(ip) end

---@return 1|nil ok
---@return string? err
function udp:close() end

return luasocket
