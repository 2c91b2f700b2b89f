-- Helpers of the specs: start build/peer with a script, count this
-- process's open sockets, sleep, bound a call's time, the read forms that
-- wait. Every server is stopped by its own PID.

local M = {}

-- SPEC_SCALE=N (make asan, make valgrind, the GC-stress runs): the tests
-- with big inputs divide them by N, so that those runs check memory on the
-- same paths in bounded time; what the sizes themselves prove (speed,
-- limits) is checked at full size by the plain runs
M.SCALE = math.max(1, math.floor(tonumber(os.getenv("SPEC_SCALE") or "") or 1))

local PEER = "build/peer"
local live = {}         -- pid -> peer, the ones not stopped yet
local serial = 0

local function shell_quote(s)
    return "'" .. tostring(s):gsub("'", [['\'']]) .. "'"
end

local function read_file(path)
    local f = io.open(path, "rb")
    if not f then return nil end
    local s = f:read("*a")
    f:close()
    return s
end

-- this process's pid: /proc/self is the reader, so it is us
local my_pid
-- the start of a shell command that runs this interpreter in a child (as
-- arg[-1]) with the library on its paths: spec/run.lua's runs have them in
-- the environment already, busted's only in package.path and
-- package.cpath (.busted and its helper)
function M.child_env()
    if not package.loaded.busted then return "" end
    return "export LUA_PATH=" .. shell_quote(package.path) .. " LUA_CPATH="
           .. shell_quote(package.cpath) .. "; "
end

function M.pid()
    if not my_pid then
        local stat = read_file("/proc/self/stat")
        my_pid = stat and stat:match("^(%d+)")
        if not my_pid then error("cannot read /proc/self/stat", 2) end
    end
    return my_pid
end

local function stop(peer)
    if peer.stopped then return end
    peer.stopped = true
    live[peer.pid] = nil
    os.execute("kill " .. peer.pid .. " 2>/dev/null")
    -- the peer exits within a fraction of a second of SIGTERM; close waits
    peer.pipe:close()
    if peer.path then os.remove(peer.path) end
end

-- peer(script[, opts]) starts build/peer serving SCRIPT for every
-- connection. opts.unix = true (a fresh path) or a path: listen there;
-- opts.host: listen on that loopback literal (default 127.0.0.1);
-- opts.max_seconds: the peer's own limit (default 30); opts.no_accept:
-- never accept (connects past the first one time out; script unused);
-- opts.no_listen: hold the port without listening (connects are refused).
-- Returns {port =, path =, host =, pid =, stop = function}.
function M.peer(script, opts)
    opts = opts or {}
    if not io.open(PEER, "rb") then
        error(PEER .. " is missing (run `make peer` from the repository root)", 2)
    end
    local args = {"--max-seconds", tostring(opts.max_seconds or 30)}
    local path
    if opts.udp then
        args[#args + 1] = "--udp"
    end
    if opts.no_accept then
        args[#args + 1] = "--no-accept"
    end
    if opts.no_listen then
        args[#args + 1] = "--no-listen"
    end
    if opts.unix then
        serial = serial + 1
        path = type(opts.unix) == "string" and opts.unix
               or ("/tmp/luasocket-spec-" .. M.pid() .. "-" .. serial .. ".sock")
        args[#args + 1] = "--unix " .. shell_quote(path)
    elseif opts.host then
        args[#args + 1] = "--host " .. shell_quote(opts.host)
    end
    args[#args + 1] = shell_quote(script)
    -- popen runs sh -c: it prints its own pid, then becomes the peer
    local pipe = assert(io.popen("echo $$; exec " .. PEER .. " " .. table.concat(args, " "), "r"))
    local pid = pipe:read("*l")
    local ready = pipe:read("*l")
    if not (pid and pid:match("^%d+$")) or not ready then
        if pid and pid:match("^%d+$") then os.execute("kill " .. pid .. " 2>/dev/null") end
        pipe:close()
        error("peer did not start (script " .. script .. ")", 2)
    end
    local peer = {pid = pid, pipe = pipe, host = opts.host or "127.0.0.1"}
    peer.port = tonumber(ready:match("^port (%d+)$"))
    peer.path = ready:match("^unix (.+)$")
    peer.stop = function() stop(peer) end
    live[pid] = peer
    return peer
end

-- ---- real servers: redis-server and memcached ------------------------------

local servers = {}      -- pid -> server, the ones not stopped yet

-- is process PID still running (not gone, not a zombie waiting for pclose)?
function M.running(pid)
    local stat = read_file("/proc/" .. pid .. "/stat")
    return stat ~= nil and not stat:match("^%d+ %b() Z")
end
local running = M.running

-- terminate(srv): stops a server started through io.popen by its PID
-- (SIGTERM, up to 5 s, then SIGKILL), reaps it and removes its directory
function M.terminate(srv)
    local native = require "resty.luasocket.native"
    os.execute("kill " .. srv.pid .. " 2>/dev/null")
    for _ = 1, 100 do
        if not running(srv.pid) then break end
        native.sleep(0.05)
    end
    if running(srv.pid) then os.execute("kill -9 " .. srv.pid .. " 2>/dev/null") end
    srv.pipe:close()                    -- reaps it: it has exited by now
    os.execute("rm -rf " .. shell_quote(srv.dir))
end

local function stop_server(srv)
    if srv.stopped then return end
    srv.stopped = true
    servers[srv.pid] = nil
    M.terminate(srv)
end

local function random_port()
    local f = assert(io.open("/dev/urandom", "rb"))
    local b1, b2 = f:read(2):byte(1, 2)
    f:close()
    return 20000 + (b1 * 256 + b2) % 40000
end

-- a native socket connected to 127.0.0.1:port (500 ms timeouts), or nil
local function dial(port)
    local native = require "resty.luasocket.native"
    local sock = native.tcp()
    sock:settimeout(500)
    if sock:connect("127.0.0.1", port) then return sock end
    return nil
end

local kinds = {
    redis = {
        bin = "redis-server",
        args = function(port, dir)
            return "--bind 127.0.0.1 --port " .. port .. " --save '' --appendonly no"
                   .. " --daemonize no --protected-mode yes --logfile ''"
                   .. " --dir " .. shell_quote(dir)
        end,
        -- INFO's process_id tells our server from anything else on the port
        pid_of = function(sock)
            sock:send("INFO server\r\n")
            local size = tonumber((sock:receive("*l") or ""):match("^%$(%d+)$"))
            local info = size and sock:receive(size)
            return info and info:match("process_id:(%d+)")
        end,
    },
    memcached = {
        bin = "memcached",
        args = function(port)
            -- -U 0: no UDP; -u: memcached refuses to run as root without it
            return "-l 127.0.0.1 -p " .. port .. " -U 0 -m 16 -c 64 -t 1 -u \"$(id -un)\""
        end,
        pid_of = function(sock)
            sock:send("stats\r\n")
            for _ = 1, 200 do
                local line = sock:receive("*l")
                if not line or line == "END" then return nil end
                local pid = line:match("^STAT pid (%d+)$")
                if pid then return pid end
            end
        end,
    },
}

local function pid_on(kind, port)
    local sock = dial(port)
    if not sock then return nil end
    local pid = kinds[kind].pid_of(sock)
    sock:close()
    return pid
end

-- server(kind): a redis-server ("redis") or memcached ("memcached") of our
-- own on 127.0.0.1, on a free random port, keeping nothing on disk. Waits
-- (at most 10 s per attempt, 5 attempts on ports found taken) until the
-- server answers with its own PID. Returns {pid =, port =, host =, log =,
-- stop = function}; stop_all (after every test) stops it by its PID.
function M.server(kind)
    local k = assert(kinds[kind], "unknown server kind")
    local native = require "resty.luasocket.native"
    local last_err
    for _ = 1, 5 do
        local port = random_port()
        local busy = dial(port)
        if busy then
            busy:close()
        else
            local dp = assert(io.popen("mktemp -d /tmp/luasocket-" .. kind .. ".XXXXXX"))
            local dir = dp:read("*l")
            dp:close()
            local log = dir .. "/log"
            local pipe = assert(io.popen("echo $$; exec " .. k.bin .. " " .. k.args(port, dir)
                                         .. " >" .. shell_quote(log) .. " 2>&1", "r"))
            local pid = pipe:read("*l")
            local srv = {pid = pid, pipe = pipe, dir = dir, log = log,
                         port = port, host = "127.0.0.1"}
            srv.stop = function() stop_server(srv) end
            if not (pid and pid:match("^%d+$")) then
                pipe:close()
                error(kind .. " did not start: no pid", 2)
            end
            servers[pid] = srv
            for _ = 1, 200 do           -- 10 s
                if pid_on(kind, port) == pid then return srv end
                if not running(pid) then break end
                native.sleep(0.05)
            end
            last_err = read_file(log) or "(no log)"
            stop_server(srv)
        end
    end
    error(kind .. " did not start on 127.0.0.1: " .. tostring(last_err), 2)
end

-- stop every peer and server still running (the runner calls it after each test)
function M.stop_all()
    for _, peer in pairs(live) do stop(peer) end
    for _, srv in pairs(servers) do stop_server(srv) end
end

-- the number of sockets this process holds open
function M.socket_count()
    local p = assert(io.popen("ls -l /proc/" .. M.pid() .. "/fd 2>/dev/null"))
    local n = 0
    for line in p:lines() do
        if line:find("socket:", 1, true) then n = n + 1 end
    end
    p:close()
    return n
end

-- is this descriptor number open in this process?
function M.fd_open(fd)
    local p = assert(io.popen("ls /proc/" .. M.pid() .. "/fd 2>/dev/null"))
    local found = false
    for line in p:lines() do
        if line == tostring(fd) then found = true end
    end
    p:close()
    return found
end

-- a blocking sleep that needs no C module (bounded: 'sleep' exits)
function M.sleep(seconds)
    os.execute("sleep " .. string.format("%.3f", seconds))
end

-- wall-clock seconds, for loose bounds only
function M.now()
    local p = io.popen("date +%s.%N")
    local s = p and p:read("*l")
    if p then p:close() end
    return tonumber(s) or os.time()
end

-- connected(script[, opts]): a peer serving SCRIPT and a native socket
-- connected to it, with every timeout at opts.timeout ms (default 2000).
-- Returns sock, peer.
function M.connected(script, opts)
    opts = opts or {}
    local native = require "resty.luasocket.native"
    local peer = M.peer(script, opts)
    local sock = native.tcp()
    sock:settimeout(opts.timeout or 2000)
    local ok, err
    if peer.path then
        ok, err = sock:connect("unix:" .. peer.path)
    else
        local host = peer.host:find(":", 1, true) and "[" .. peer.host .. "]" or peer.host
        ok, err = sock:connect(host, peer.port)
    end
    if ok ~= 1 then
        error("connect to the peer failed: " .. tostring(ok) .. ", " .. tostring(err), 2)
    end
    return sock, peer
end

-- a port on 127.0.0.1 where nothing listens, held by a peer that bound it
-- and never listens, until the test ends (stop_all). A port merely found
-- free could be taken meanwhile by a server of a test running in
-- parallel, or by a connect's own end, which then connects to itself.
function M.closed_port()
    return M.peer("hold", {no_listen = true, max_seconds = 600}).port
end

-- the socket inode behind descriptor fd of process pid (default: this
-- process), as "socket:[N]" names it in /proc; nil when fd is no socket
function M.socket_inode(fd, pid)
    local p = assert(io.popen("readlink /proc/" .. (pid or M.pid()) .. "/fd/"
                              .. tonumber(fd) .. " 2>/dev/null"))
    local link = p:read("*l")
    p:close()
    return link and link:match("^socket:%[(%d+)%]$")
end

-- the bytes waiting in the receive queue of this process's TCP socket on
-- descriptor fd, as /proc/net/tcp shows them; nil when it is not there
function M.rx_queued(fd)
    local inode = M.socket_inode(fd)
    for _, file in ipairs({"/proc/net/tcp", "/proc/net/tcp6"}) do
        local f = io.open(file, "r")
        if f then
            for line in f:lines() do
                local rx, ino = line:match("^%s*%d+:%s+%S+%s+%S+%s+%x+%s+%x+:(%x+)%s+%S+%s+%S+%s+%d+%s+%d+%s+(%d+)")
                if ino and ino == inode then
                    f:close()
                    return tonumber(rx, 16)
                end
            end
            f:close()
        end
    end
    return nil
end

-- wait_until(seconds, what, f): calls f every 10 ms until it returns true,
-- for at most `seconds`; raises naming WHAT when it never does
function M.wait_until(seconds, what, f)
    local native = require "resty.luasocket.native"
    local deadline = native.now() + seconds
    while not f() do
        if native.now() > deadline then
            error("waited " .. seconds .. " s for " .. what, 2)
        end
        M.sleep(0.01)
    end
end

-- does process pid (default: this one) hold a descriptor on socket inode?
function M.holds_inode(inode, pid)
    local p = assert(io.popen("ls -l /proc/" .. (pid or M.pid()) .. "/fd 2>/dev/null"))
    local found = false
    for line in p:lines() do
        if line:find("socket:[" .. inode .. "]", 1, true) then found = true end
    end
    p:close()
    return found
end

function M.collect()
    collectgarbage()
    collectgarbage()
end

M.pack = function(...) return {n = select("#", ...), ...} end

-- within(seconds, what, f): calls f(), asserts that it returned within
-- `seconds` (WHAT names the call in the failure), returns its results packed
function M.within(seconds, what, f)
    local native = require "resty.luasocket.native"
    local t0 = native.now()
    local r = M.pack(f())
    local took = native.now() - t0
    -- (the runner's `assert`, by its module's name: this file is no spec)
    require("assertions").truthy(took < seconds, what .. " took " .. took
                                 .. " s (bound " .. seconds .. " s)")
    return r
end

-- The read forms that wait for more until a deadline or a cap ends them,
-- each {name, read(sock)}: a line, '*a', a size no stream reaches, and a
-- receiveuntil reader without and with such a size (its pattern in none
-- of the peers' floods)
M.READS = {
    {"*l", function(s) return s:receive() end},
    {"*a", function(s) return s:receive("*a") end},
    {"a huge size", function(s) return s:receive(2 ^ 40) end},
    {"receiveuntil", function(s) return s:receiveuntil("\r\n--boundary")() end},
    {"receiveuntil with a size", function(s) return s:receiveuntil("\r\n--boundary")(2 ^ 40) end},
}

-- reads(extra...): a new list, M.READS followed by the EXTRA forms (each
-- {name, read(sock)}) of one spec
function M.reads(...)
    local list = {}
    for i, read in ipairs(M.READS) do list[i] = read end
    for _, read in ipairs({...}) do list[#list + 1] = read end
    return list
end

return M
