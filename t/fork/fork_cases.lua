-- The checks t/fork/run.sh runs inside nginx. init() runs in the master
-- before it forks: it pools native connections (TCP by host:port, TCP by a
-- pool name, unix, TLS) and reports their socket inodes. init_worker() runs
-- in each worker: the same pools must give fresh connections, never the
-- master's, while a connection pooled by the worker itself is reused.
--
-- Results go to a file, one line each: "ok - ..." / "not ok - ...", and
-- facts for run.sh ("inode NAME N", "master PID", "worker ID PID",
-- "done worker ID").

local native = require "resty.luasocket.native"
local env = require "fork_env" -- written by run.sh: results path, peers

local M = {}

local function emit(line)
  local f = assert(io.open(env.results, "a"))
  f:write(line, "\n")
  f:close()
end

local function check(cond, name, detail)
  if cond then
    emit("ok - " .. name)
  else
    emit("not ok - " .. name .. " # got: " .. tostring(detail))
  end
end

-- this process's pid (io.open of /proc/self reads as us; popen would not)
local function my_pid()
  local f = assert(io.open("/proc/self/stat", "rb"))
  local pid = f:read("*l"):match("^(%d+)")
  f:close()
  return pid
end

local function inode_of(fd)
  local p = assert(io.popen("readlink /proc/" .. my_pid() .. "/fd/" .. fd))
  local link = p:read("*l")
  p:close()
  return link and link:match("^socket:%[(%d+)%]$")
end

local function holds(inode)
  local p = assert(io.popen("ls -l /proc/" .. my_pid() .. "/fd"))
  local found = false
  for line in p:lines() do
    if line:find("socket:[" .. inode .. "]", 1, true) then found = true end
  end
  p:close()
  return found
end

-- the pools the master fills, each with the connect arguments
local function pools()
  return {
    { name = "host:port", args = { "127.0.0.1", env.seq_port } },
    { name = "named pool", args = { "127.0.0.1", env.seq_port, { pool = "fork-named" } } },
    { name = "unix", args = { "unix:" .. env.unix_path } },
  }
end

local unpack = table.unpack or unpack -- luacheck: ignore 143

local function request(s, label)
  local n, err = s:send("x\n")
  if not n then return nil, label .. " send: " .. tostring(err) end
  return s:receive()
end

function M.init()
  emit("master " .. my_pid())
  for _, p in ipairs(pools()) do
    local s = native.tcp()
    s:settimeout(3000)
    local ok, err = s:connect(unpack(p.args))
    check(ok == 1, "init: " .. p.name .. ": connect", err)
    check(s:getreusedtimes() == 0, "init: " .. p.name .. ": a fresh connection", s:getreusedtimes())
    local line, rerr = request(s, p.name)
    check(line == "first", "init: " .. p.name .. ": the peer's first answer", line or rerr)
    local inode = inode_of(s:getfd())
    check(inode ~= nil, "init: " .. p.name .. ": socket inode", inode)
    emit("inode " .. p.name:gsub("[^%w]", "_") .. " " .. tostring(inode))
    check(s:setkeepalive(0) == 1, "init: " .. p.name .. ": setkeepalive(0)")
  end
  if env.tls_port then
    local s = native.tcp()
    s:settimeout(3000)
    local ok, err = s:connect("127.0.0.1", env.tls_port)
    check(ok == 1, "init: tls: connect", err)
    local sess, herr = s:sslhandshake(nil, "localhost", false)
    check(sess ~= nil, "init: tls: handshake", herr)
    s:send("hello\n")
    local line, rerr = s:receive()
    check(line == "olleh", "init: tls: the server's answer", line or rerr)
    local inode = inode_of(s:getfd())
    emit("inode tls " .. tostring(inode))
    check(s:setkeepalive(0) == 1, "init: tls: setkeepalive(0)")
  end
  emit("done init")
end

function M.init_worker()
  local id = ngx.worker.id()
  local w = "worker " .. id .. ": "
  emit("worker " .. id .. " " .. my_pid())
  -- the master's inodes, from the results file
  local inodes = {}
  local f = assert(io.open(env.results, "rb"))
  for line in f:lines() do
    local name, inode = line:match("^inode (%S+) (%d+)$")
    if name then inodes[name] = inode end
  end
  f:close()
  check(my_pid() ~= nil, w .. "runs in a process of its own")
  for _, p in ipairs(pools()) do
    local key = p.name:gsub("[^%w]", "_")
    local s = native.tcp()
    s:settimeout(3000)
    local ok, err = s:connect(unpack(p.args))
    check(ok == 1, w .. p.name .. ": connect", err)
    check(s:getreusedtimes() == 0, w .. p.name .. ": a fresh connection (getreusedtimes 0)",
          s:getreusedtimes())
    check(inodes[key] and inode_of(s:getfd()) ~= inodes[key],
          w .. p.name .. ": not the master's socket", inodes[key])
    check(inodes[key] and not holds(inodes[key]),
          w .. p.name .. ": its copy of the master's idle socket is closed", inodes[key])
    local line, rerr = request(s, p.name)
    check(line == "first", w .. p.name .. ": a new connection at the peer (first answer)",
          line or rerr)
    check(s:setkeepalive(0) == 1, w .. p.name .. ": setkeepalive(0)")
    ok, err = s:connect(unpack(p.args))
    check(ok == 1, w .. p.name .. ": connect again", err)
    check(s:getreusedtimes() == 1, w .. p.name .. ": its own pooled connection (getreusedtimes 1)",
          s:getreusedtimes())
    line, rerr = request(s, p.name)
    check(line == "second", w .. p.name .. ": the same connection at the peer (second answer)",
          line or rerr)
    s:close()
  end
  if inodes.tls then
    check(not holds(inodes.tls), w .. "tls: its copy of the master's idle socket is closed",
          inodes.tls)
  end
  emit("done worker " .. id)
end

return M
