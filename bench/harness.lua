-- The benchmarks' Lua half that every workload shares: the timing loop, and
-- the two entry points that run a workload with a socket constructor.
--
--   plain Lua:  LUA_PATH='bench/?.lua;lib/?.lua;;' LUA_CPATH='build/<interp>/?.so;;'
--               <interp> bench/<workload>.lua MODE PORT SECONDS MAX
--               (the workload script calls M.main: the native socket,
--               through the front `resty.luasocket`, as users get it;
--               with BENCH_SOCKET=luasocket in the environment, LuaSocket's
--               objects, `require "socket"`, for the workloads that have a
--               `luasocket` function; with BENCH_SOCKET=floor, the objects
--               of bench/floor.c, W3's floor, with W.new)
--   nginx:      content_by_lua_block { require("harness").ngx_main() }
--               GET ...?w=<workload>&mode=MODE&port=PORT&seconds=S&max=N
--               (ngx.socket.tcp: the real cosocket)
--
-- Both print one line, which bench/run.sh reads:
--
--   result UNITS SECONDS [NOTE...]
--
-- A workload is a module with
--   modes             set of the MODEs it knows
--   new(tcp, mode, port)   --> step: runs one cycle, returns the units done
--                              (1 for a cycle, bytes for a transfer); raises
--                              on any unexpected answer
--   check(tcp, mode, port) --> optional: raises when the run did not do what
--                              MODE says; its string is the NOTE
--   luasocket(socket, mode, port) --> optional: step, the same cycle written
--                              with LuaSocket's API (its `socket` module)
-- The same step code runs on both sockets, so they are compared on
-- identical Lua.

local M = {}

local floor = math.floor

-- Runs step until `seconds` have passed or `max` units are done; the clock
-- is read every 64 steps. Returns the units done and the seconds taken.
local function loop(step, now, seconds, max)
  local start = now()
  local t, done = start, 0
  while done < max and t - start < seconds do
    for _ = 1, 64 do
      done = done + step()
      if done >= max then break end
    end
    t = now()
  end
  return done, t - start
end

-- A tenth of the time (and of `max`) untimed, to let the JIT compile the
-- loop and the pool fill, then the timed run.
function M.measure(step, now, seconds, max)
  loop(step, now, seconds / 10, floor(max / 10) + 1)
  return loop(step, now, seconds, max)
end

-- new(tcp, mode, port) --> step; check: nil or as workload.check
local function result_line(workload, new, check, tcp, mode, port, seconds,
                           max)
  if not workload.modes[mode] then
    error("unknown mode " .. tostring(mode), 0)
  end
  port = tonumber(port)
  seconds = tonumber(seconds)
  max = tonumber(max)
  if not (port and seconds and max and seconds > 0 and max > 0) then
    error("expecting MODE PORT SECONDS MAX", 0)
  end
  local step = new(tcp, mode, port)
  local done, took = M.measure(step, M.now, seconds, max)
  local note = check and check(tcp, mode, port) or nil
  return string.format("result %d %.6f%s", done, took,
                       note and " " .. note or "")
end

-- The plain-Lua entry: MODE PORT SECONDS MAX from the command line.
function M.main(workload, args)
  local new, check, tcp = workload.new, workload.check
  if os.getenv("BENCH_SOCKET") == "luasocket" then
    local socket = require "socket"
    M.now = socket.gettime
    new = workload.luasocket
    check = nil
    tcp = socket
    if not new then
      io.stderr:write("bench: no LuaSocket version of this workload\n")
      os.exit(1)
    end
  else
    M.now = require("resty.luasocket.native").now
    tcp = require("resty.luasocket").tcp
    if os.getenv("BENCH_SOCKET") == "floor" then
      tcp = require("bench_floor").tcp
      check = nil
    end
  end
  local ok, line = pcall(result_line, workload, new, check, tcp, args[1],
                         args[2], args[3], args[4])
  if not ok then
    io.stderr:write("bench: ", tostring(line), "\n")
    os.exit(1)
  end
  io.stdout:write(line, "\n")
end

-- opener(new_socket, port, timeout_ms, luasocket, fail): a function that
-- returns a new socket connected to 127.0.0.1:port, for the workloads'
-- W.new (new_socket = the tcp constructor) and W.luasocket (LuaSocket's
-- module: its timeouts are in seconds). A failed connect calls
-- fail("connect", err).
function M.opener(new_socket, port, timeout_ms, luasocket, fail)
  return function()
    local sock = luasocket and new_socket.tcp() or new_socket()
    sock:settimeout(luasocket and timeout_ms / 1000 or timeout_ms)
    local ok, err = sock:connect("127.0.0.1", port)
    if not ok then fail("connect", err) end
    return sock
  end
end

-- streams(open, start, total, unit, fail): the step function of a workload
-- that reads whole streams (W2-W4): open() makes a connected socket,
-- start(sock) asks for a stream and returns the step over it, which returns
-- the units it read and, at the stream's end, true. A stream must bring
-- `total` units; then the next step opens another.
function M.streams(open, start, total, unit, fail)
  local sock, step, got
  return function()
    if not sock then
      sock = open()
      step = start(sock)
      got = 0
    end
    local n, ended = step()
    got = got + n
    if ended then
      sock:close()
      sock = nil
      if got ~= total then
        fail("stream", got .. " " .. unit .. ", expecting " .. total)
      end
    end
    return n
  end
end

-- The nginx entry: the same arguments from the query string.
function M.ngx_main()
  local args = ngx.req.get_uri_args()
  local name = args.w
  M.now = function()
    ngx.update_time()
    return ngx.now()
  end
  local ok, line = pcall(function()
    if type(name) ~= "string" or not name:match("^w%d_[%w_]+$") then
      error("bad workload name", 0)
    end
    local workload = require(name)
    return result_line(workload, workload.new, workload.check,
                       ngx.socket.tcp, args.mode, args.port, args.seconds,
                       args.max)
  end)
  if not ok then
    ngx.status = 500
  end
  ngx.say(ok and line or "bench: " .. tostring(line))
end

return M
