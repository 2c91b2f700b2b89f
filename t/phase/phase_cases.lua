-- The checks t/phase/run.sh runs inside nginx: one function per phase, each
-- called from that phase's *_by_lua_block in t/phase/nginx.conf.in.
--
-- Every check appends a TAP-like line ("ok - ..." / "not ok - ...") to the
-- results file; each phase ends with "done PHASE" (run.sh fails a phase that
-- never got there) and "expect PHASE WARN INFO": how many log lines of each
-- level the native sockets created in that phase should have produced.

local socket = require "resty.luasocket"
local native = require "resty.luasocket.native"
local env = require "phase_env" -- written by run.sh: results path, peer ports

local loaded_in = ngx.get_phase()
local mt = socket.luasocket_mt

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

local function kind(sock)
  if sock == nil then
    return "nil"
  end
  return getmetatable(sock) == mt and "native" or "cosocket"
end

-- one counter per phase function: native sockets made while (not) forced
local made

-- new_tcp(phase, want, forced, when): tcp(), checked to give `want`
local function new_tcp(phase, want, forced, when)
  local sock = socket.tcp()
  local what = want == "native" and "a native socket" or "a real cosocket"
  check(kind(sock) == want, phase .. ": tcp() " .. (when and when .. " " or "")
        .. "gives " .. what, kind(sock))
  if kind(sock) == "native" then
    local k = forced and "info" or "warn"
    made[k] = made[k] + 1
  end
  return sock
end

-- what ngx_lua 0.10.23 allows: has_cosockets() must say the same
local phase_has_cosockets = {
  init = false, init_worker = false, set = false, rewrite = true,
  access = true, content = true, header_filter = false, body_filter = false,
  log = false, timer = true, exit_worker = false,
}

local function start(phase)
  made = { warn = 0, info = 0, phase = phase }
  local want, got = phase_has_cosockets[phase], socket.has_cosockets()
  check(got == want, phase .. ": has_cosockets() is " .. tostring(want), got)
end

-- how many of n native sockets of one phase get a line: the 1st, 10th,
-- 100th, ... of the worker (each phase function here runs once per worker)
local function lines(n)
  local count, power = 0, 1
  while power <= n do
    count, power = count + 1, power * 10
  end
  return count
end

local function finish()
  local p = made.phase
  if p == "init" then -- init never logs, forced or not
    made.warn, made.info = 0, 0
  end
  emit(("expect %s %d %d"):format(p, lines(made.warn), lines(made.info)))
  emit("done " .. p)
end

-- connect to the echo peer, send a line, read it back
local function roundtrip(sock, phase)
  sock:settimeout(3000)
  local ok, err = sock:connect("127.0.0.1", env.echo_port)
  if not ok then
    return nil, "connect: " .. tostring(err)
  end
  local msg = "hello from " .. phase
  local n, serr = sock:send(msg .. "\n")
  if not n then
    return nil, "send: " .. tostring(serr)
  end
  local line, rerr = sock:receive("*l")
  sock:close()
  if line ~= msg then
    return nil, "receive: " .. tostring(line or rerr)
  end
  return true
end

local function check_roundtrip(sock, phase, what)
  local ok, err = roundtrip(sock, phase)
  check(ok, phase .. ": " .. what .. " connects, sends and receives", err)
end

local function raises(f, want, ...)
  local ok, err = pcall(f, ...)
  return not ok and tostring(err):find(want, 1, true) ~= nil, err
end

local T = {}

function T.init()
  start("init")
  local sock = new_tcp("init", "native")
  check_roundtrip(sock, "init", "the native socket")

  check(raises(socket.force_luasocket,
               "bad argument #1 to 'force_luasocket' (string expected, got nil)"),
        "init: force_luasocket(nil) raises the documented error")
  check(raises(socket.disable_luasocket,
               "bad argument #1 to 'disable_luasocket' (string expected, got number)", 1),
        "init: disable_luasocket(1) raises the documented error")

  local prev = socket.force_luasocket("init", true)
  check(prev == false, "init: force_luasocket returns false when never set", prev)
  new_tcp("init", "native", true, "forced")
  prev = socket.force_luasocket("init", false)
  check(prev == true, "init: force_luasocket returns the previous true", prev)

  prev = socket.disable_luasocket("init", true)
  check(prev == false, "init: disable_luasocket returns false when never set", prev)
  local hit, err = raises(socket.tcp, "no request found")
  check(hit, "init: disabled, tcp() is ngx.socket.tcp() and raises ngx_lua's error", err)
  prev = socket.disable_luasocket("init", false)
  check(prev == true, "init: disable_luasocket returns the previous true", prev)
  new_tcp("init", "native", false, "re-enabled")

  local c, cerr = socket.connect("127.0.0.1", env.echo_port)
  check(kind(c) == "native", "init: connect() gives a connected native socket", cerr)
  if c then
    c:close()
  end

  if native.udp then
    local u = socket.udp()
    check(getmetatable(u) == native.udp_mt, "init: udp() gives a native UDP socket", u)
  else
    check(raises(socket.udp, "no native UDP socket in this build, and phase init has no cosockets"),
          "init: udp() without a native UDP socket raises a clear error")
  end
  finish()
end

-- the cached clock: ngx.now() only moves when ngx.update_time() runs, which
-- nginx does between events; a blocking receive must run it too (SPEC 2)
local function elapsed_over_slow_receive(sock)
  sock:settimeout(5000)
  local ok, err = sock:connect("127.0.0.1", env.slow_port)
  if not ok then
    return nil, "connect: " .. tostring(err)
  end
  local t0 = ngx.now()
  local line, rerr = sock:receive("*l")
  local dt = ngx.now() - t0
  sock:close()
  if line ~= "late" then
    return nil, "receive: " .. tostring(line or rerr)
  end
  return dt
end

function T.init_worker()
  start("init_worker")
  check_roundtrip(new_tcp("init_worker", "native"), "init_worker", "the native socket")

  local dt, err = elapsed_over_slow_receive(new_tcp("init_worker", "native", false, "again"))
  check(dt and dt >= 0.25,
        "init_worker: ngx.now() advances across a 300 ms blocking receive", dt or err)

  -- control: with the hook removed the clock stays put, so the check above
  -- measures the hook and not something else that refreshes the time
  native.set_clock_hook(nil)
  dt, err = elapsed_over_slow_receive(new_tcp("init_worker", "native", false, "a third time"))
  native.set_clock_hook(ngx.update_time)
  check(dt == 0, "init_worker: without the clock hook ngx.now() stays cached", dt or err)

  local ok, terr = ngx.timer.at(0, T.timer)
  check(ok, "init_worker: timer scheduled", terr)
  finish()
end

function T.timer(premature)
  if premature then
    return
  end
  start("timer")
  check_roundtrip(new_tcp("timer", "cosocket"), "timer", "the cosocket")

  local prev = socket.force_luasocket("timer", true)
  check(prev == false, "timer: force_luasocket returns false when never set", prev)
  check_roundtrip(new_tcp("timer", "native", true, "forced"), "timer", "the forced native socket")
  prev = socket.force_luasocket("timer", false)
  check(prev == true, "timer: force_luasocket returns the previous true", prev)
  new_tcp("timer", "cosocket", false, "no longer forced")
  finish()
end

function T.set()
  start("set")
  check_roundtrip(new_tcp("set", "native"), "set", "the native socket")
  finish()
  return "set"
end

function T.rewrite()
  start("rewrite")
  new_tcp("rewrite", "cosocket")
  finish()
end

function T.access()
  start("access")
  new_tcp("access", "cosocket")
  finish()
end

function T.content()
  start("content")
  check(loaded_in == "init", "content: the module under test was loaded in init", loaded_in)
  check_roundtrip(new_tcp("content", "cosocket"), "content", "the cosocket")

  local prev = socket.force_luasocket("content", true)
  check(prev == false, "content: force_luasocket returns false when never set", prev)
  check_roundtrip(new_tcp("content", "native", true, "forced"), "content",
                  "the forced native socket")
  prev = socket.force_luasocket("content", false)
  check(prev == true, "content: force_luasocket returns the previous true", prev)
  new_tcp("content", "cosocket", false, "no longer forced")

  -- disabling the fallback where cosockets exist changes nothing
  socket.disable_luasocket("content", true)
  new_tcp("content", "cosocket", false, "with the fallback disabled")
  socket.disable_luasocket("content", false)

  local u = socket.udp()
  check(type(u) == "table" and getmetatable(u) ~= mt, "content: udp() gives ngx.socket.udp()", u)
  finish()
  ngx.say("content done")
end

function T.header_filter()
  start("header_filter")
  new_tcp("header_filter", "native")
  finish()
end

function T.body_filter()
  if not ngx.arg[2] then -- once, on the last buffer
    return
  end
  start("body_filter")
  new_tcp("body_filter", "native")
  finish()
end

function T.log()
  start("log")
  check_roundtrip(new_tcp("log", "native"), "log", "the native socket")

  local prev = socket.disable_luasocket("log", true)
  check(prev == false, "log: disable_luasocket returns false when never set", prev)
  local hit, err = raises(socket.tcp, "API disabled in the context of log_by_lua")
  check(hit, "log: disabled, tcp() is ngx.socket.tcp() and raises ngx_lua's error", err)
  prev = socket.disable_luasocket("log", false)
  check(prev == true, "log: disable_luasocket returns the previous true", prev)
  new_tcp("log", "native", false, "re-enabled")

  -- failures are logged as ngx_lua logs a cosocket's (run.sh looks for
  -- these lines and lets them pass its check for errors)
  local s = new_tcp("log", "native", false, "for a missing unix path")
  local ok
  ok, err = s:connect("unix:/nonexistent/luasocket-phase.sock")
  check(not ok and err == "no such file or directory",
        "log: a missing unix path: no such file or directory", err)
  s = new_tcp("log", "native", false, "for a read timeout")
  s:settimeout(100)
  ok, err = s:connect("127.0.0.1", env.echo_port)
  check(ok == 1, "log: connect to the echo peer", err)
  local line, rerr = s:receive()
  check(line == nil and rerr == "timeout", "log: a receive that times out", rerr)
  s:close()
  local was = socket.set_log_errors(false)
  check(was == true, "log: set_log_errors() was on, by default inside nginx", was)
  s = new_tcp("log", "native", false, "with the log off")
  s:connect("unix:/nonexistent/luasocket-phase-quiet.sock")
  socket.set_log_errors(true)

  -- ten more: the worker's 10th native socket of the phase gets a line too
  for i = 1, 10 do
    new_tcp("log", "native", false, "once more (" .. i .. ")"):close()
  end

  if native.udp then -- UDP falls back the same way, with the same log line
    local u = socket.udp()
    check(getmetatable(u) == native.udp_mt, "log: udp() gives a native UDP socket", u)
    made.warn = made.warn + 1
  end
  finish()
end

function T.exit_worker()
  start("exit_worker")
  new_tcp("exit_worker", "native")
  finish()
end

return T
