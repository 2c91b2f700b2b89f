-- W6 (issue 5, issue 6): TLS handshakes, and bulk receive over TLS and over
-- plain TCP. bench/run.sh starts the servers and gives each mode its port:
--
--   MODE full        one cycle: a new socket object, settimeout, connect to
--                    127.0.0.1:PORT, sslhandshake(nil, "localhost", true)
--                    (the chain against the run's CA, and the name), close
--   MODE resumed     the same cycle with sslhandshake(session, "localhost",
--                    true), where session is what the handshake of the
--                    cycle before returned (for the first cycle: that of a
--                    connection made before the run, which read a reply)
--   MODE fullget     full, and between handshake and close a request
--                    "GET / HTTP/1.0" and its reply, read to the end
--   MODE resumedget  resumed, with the same request and reply. A TLS 1.3
--                    server sends its session tickets after the handshake:
--                    a client that closes at once never reads them, so
--                    under TLS 1.3 only these cycles can chain resumptions
--                    PORT: `openssl s_server -www` (TLS 1.3 or TLS 1.2 only),
--                    whose reply, a status page, says "New" or "Reused"
--   MODE tls         bulk: one step is one receive(65536) of a stream of
--                    GET /bulk over TLS (a file of BULK_MIB MiB served by
--                    `openssl s_server -WWW` on PORT); when a stream ends the
--                    next step opens another (connect + handshake + GET)
--   MODE plain       bulk: the same over plain TCP: "FLOOD <BULK_MIB MiB>" to
--                    build/bench-server on PORT
--
-- Units: a cycle (handshake modes), bytes received (bulk modes). Every
-- stream is checked for its length, every reply for the status page. The
-- note (check()), words separated by commas:
--   TLSv1.3           the protocol the status page names
--   resumed=all|none|R/N   GET modes: the cycles whose page said "Reused"
--                     (warm-up included); a full cycle that resumed is an
--                     error
--   after:resumed|after:full   resumed: one more handshake after the run,
--                     with the session the next cycle would have passed,
--                     and what the page said. A resumed run whose session
--                     does not resume is not an error: that is what a
--                     client of the socket gets, and the table shows it
--   cpu=N%            the CPU time of this process (os.clock(): the Lua
--                     interpreter, or the nginx worker) over the wall time
--                     of the run, warm-up included: near 100%, the client
--                     is the limit; well below, the server or the wait
--
-- Plain Lua (native socket; BENCH_TLS_CA: the CA certificate of the run):
--   BENCH_TLS_CA=ca.pem <interp> bench/w6_tls.lua MODE PORT SECONDS MAX
-- (see harness.lua); in nginx, lua_ssl_trusted_certificate names the CA.

local W = {
  modes = {
    full = true, resumed = true, fullget = true, resumedget = true,
    tls = true, plain = true,
  },
}

-- bench/run.sh reads this line to make the file that s_server -WWW serves
local BULK_MIB = 64
local BULK = BULK_MIB * 1048576
local CHUNK = 65536
local TIMEOUT_MS = 5000
local NAME = "localhost"

local function fail(what, err)
  error("w6_tls: " .. what .. ": " .. tostring(err), 0)
end

local function open(tcp, port)
  local sock = tcp()
  sock:settimeout(TIMEOUT_MS)
  local ok, err = sock:connect("127.0.0.1", port)
  if not ok then fail("connect", err) end
  return sock
end

-- GET / on a TLS connection to s_server -www, read to the end: "New" or
-- "Reused", and the protocol, from its status page
local function get_status(sock)
  local ok, err = sock:send("GET / HTTP/1.0\r\n\r\n")
  if not ok then fail("send", err) end
  local page, perr, partial = sock:receive("*a")
  page = page or partial
  local how, proto = (page or ""):match("\n(%a+), (TLSv[%d.]+), Cipher is")
  if not how then fail("status page", page or perr) end
  return how, proto
end

-- one cycle: returns the session of the handshake, and with get the
-- status page's verdict and protocol
local function cycle(tcp, port, session, get)
  local sock = open(tcp, port)
  local sess, err = sock:sslhandshake(session, NAME, true)
  if not sess then fail("sslhandshake", err) end
  local how, proto
  if get then how, proto = get_status(sock) end
  local ok
  ok, err = sock:close()
  if not ok then fail("close", err) end
  return sess, how, proto
end

-- a stream step of the bulk modes
local function bulk(tcp, tls, port)
  local sock, got, first
  return function()
    if not sock then
      sock = open(tcp, port)
      local ok, err
      if tls then
        ok, err = sock:sslhandshake(false, NAME, true)
        if not ok then fail("sslhandshake", err) end
        ok, err = sock:send("GET /bulk HTTP/1.0\r\n\r\n")
      else
        ok, err = sock:send("FLOOD " .. BULK .. "\r\n")
      end
      if not ok then fail("send", err) end
      got, first = 0, true
    end
    local data, err, partial = sock:receive(CHUNK)
    if data then
      if first and tls and data:sub(1, 13) ~= "HTTP/1.0 200 " then
        fail("bulk reply", data:sub(1, 40))
      end
      first = false
      got = got + CHUNK
      return CHUNK
    end
    if err ~= "closed" then fail("receive", err) end
    local n = #partial
    got = got + n
    sock:close()
    sock = nil
    -- plain: exactly BULK bytes; TLS: BULK after a short HTTP header
    if got < BULK or got - BULK > (tls and 200 or 0) then
      fail("bulk", "a stream of " .. got .. " bytes, expecting "
           .. (tls and "a header and " or "") .. BULK)
    end
    return n
  end
end

-- what check() reports: the session the next cycle would pass, the
-- cycles run and those the server said it resumed, the protocol, and the
-- CPU and wall clocks when the run began
local state = {}

function W.new(tcp, mode, port)
  local now = require("harness").now
  local st = { cycles = 0, reused = 0, cpu0 = os.clock(), wall0 = now() }
  state = st
  if mode == "tls" or mode == "plain" then
    return bulk(tcp, mode == "tls", port)
  end
  local get = mode == "fullget" or mode == "resumedget"
  local resume = mode == "resumed" or mode == "resumedget"
  if resume then
    st.session = cycle(tcp, port, nil, true)
  end
  return function()
    local sess, how, proto = cycle(tcp, port, st.session, get)
    if resume then st.session = sess end
    if get then
      st.cycles = st.cycles + 1
      st.proto = proto
      if how == "Reused" then
        if not resume then fail("check", "a full handshake was resumed") end
        st.reused = st.reused + 1
      end
    end
    return 1
  end
end

function W.check(tcp, mode, port)
  local st = state
  local wall = require("harness").now() - st.wall0
  local cpu = string.format("cpu=%.0f%%", wall > 0
                            and (os.clock() - st.cpu0) / wall * 100 or 0)
  if mode == "fullget" or mode == "resumedget" then
    local r = st.reused == 0 and "none"
              or st.reused == st.cycles and "all"
              or st.reused .. "/" .. st.cycles
    return string.format("%s,resumed=%s,%s", st.proto or "?", r, cpu)
  elseif mode == "full" or mode == "resumed" then
    local _, how, proto = cycle(tcp, port, st.session, true)
    if mode == "full" then
      if how ~= "New" then fail("check", "a full handshake was " .. how) end
      return proto .. "," .. cpu
    end
    return proto .. (how == "Reused" and ",after:resumed" or ",after:full")
           .. "," .. cpu
  end
  return cpu
end

if ngx then
  return W -- required by harness.ngx_main
end

local ca = os.getenv("BENCH_TLS_CA")
if ca and ca ~= "" then
  local ok, err = require("resty.luasocket").set_luasec_defaults({
    cafile = ca,
  })
  if not ok then
    io.stderr:write("bench: w6_tls: set_luasec_defaults: ", tostring(err),
                    "\n")
    os.exit(1)
  end
end
require("harness").main(W, arg)
