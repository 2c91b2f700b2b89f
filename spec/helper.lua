-- Helpers of the specs: start build/peer with a script, count this
-- process's open sockets, sleep. Every server is stopped by its own PID.

local M = {}

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
-- opts.max_seconds: the peer's own limit (default 30).
-- Returns {port =, path =, host =, pid =, stop = function}.
function M.peer(script, opts)
    opts = opts or {}
    if not io.open(PEER, "rb") then
        error(PEER .. " is missing (run `make peer` from the repository root)", 2)
    end
    local args = {"--max-seconds", tostring(opts.max_seconds or 30)}
    local path
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

-- stop every peer still running (the runner calls it after each test)
function M.stop_all()
    for _, peer in pairs(live) do stop(peer) end
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

-- a port on 127.0.0.1 where nothing listens (a peer's, once it stopped)
function M.closed_port()
    local peer = M.peer("close")
    peer.stop()
    return peer.port
end

function M.collect()
    collectgarbage()
    collectgarbage()
end

M.pack = function(...) return {n = select("#", ...), ...} end

return M
