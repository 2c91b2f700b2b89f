-- bench/report.lua: the tables of a benchmark run (bench/run.sh calls it).
--
--   <any lua> bench/report.lua RESULTS [INSTRUCTIONS [SYSCALLS [PLOTDATA]]]
--
-- RESULTS has one line per measurement:
--   TABLE COLUMN ROUND UNITS SECONDS [NOTE]
-- (TABLE: the workload, or for W6 one of its tables: w6_tls1.3, w6_tls1.2,
-- w6_bulk). Prints, per table, each column's rate (UNITS/SECONDS) as the
-- median over the rounds with its spread (min and max), in the order the
-- columns first appear (W1-W4: with the ratio of its median to the C
-- client's and to the cosockets' of the same mode), then the table's
-- ratios: the ratio of the two medians, with the min and max of the same
-- ratio taken round by round (both columns of a round ran in the same
-- round), and the goal of issue 5 or 6 where it has one. W3's floor
-- columns (floor_<interp>: bench/floor.c) are left out of the goals, the
-- summary and the plot; W3's ratios set each native interpreter against
-- them. W6 tables also show each column's notes (what its check found, e.g. whether the
-- sessions resumed; words separated by commas): the distinct words over
-- the rounds, and of cpu=N% the median.
--
-- INSTRUCTIONS (may be empty) has a line per column counted with callgrind:
--   WORKLOAD COLUMN N1 IR1 N2 IR2
-- (the instructions of the whole process for N1 and for N2 timed steps);
-- printed as instructions per step, (IR2 - IR1) / (steps(N2) - steps(N1)),
-- steps(N) being N and the harness's untimed tenth, N // 10 + 1.
--
-- SYSCALLS (may be empty) has a line per run of a column under strace -c:
--   WORKLOAD COLUMN N NAME=CALLS...
-- (the system calls of the whole process, by name, for N timed steps);
-- printed per column as calls per step by name, (CALLS(N2) - CALLS(N1)) /
-- (steps(N2) - steps(N1)) for the smallest and the largest N, and their
-- sum.
--
-- PLOTDATA: written for bench/plot.gp: a row per table of W1-W5 and mode,
-- and per column kind the median ratio of its rate to the C client's and
-- the min and max of that ratio over the rounds ("?" where none ran).

local path, instr_path, sys_path, plot_path = ...
if not path then
  io.stderr:write("usage: bench/report.lua RESULTS [INSTRUCTIONS [SYSCALLS [PLOTDATA]]]\n")
  os.exit(2)
end

local function median(xs)
  local s = {}
  for i, x in ipairs(xs) do s[i] = x end
  table.sort(s)
  local n = #s
  if n % 2 == 1 then return s[(n + 1) / 2] end
  return (s[n / 2] + s[n / 2 + 1]) / 2
end

local function min_max(xs)
  local lo, hi = math.huge, -math.huge
  for _, x in ipairs(xs) do
    if x < lo then lo = x end
    if x > hi then hi = x end
  end
  return lo, hi
end

-- ---- what each workload shows -------------------------------------------

local W5_LABELS = {
  ["c-keep"] = "C client, one connection",
  ["c-close"] = "C client, connect+close",
  ["cosocket-pooled"] = "cosockets in nginx, pooled",
  ["cosocket-unpooled"] = "cosockets in nginx, unpooled",
}

-- the interpreters of the native columns, in the order they ran
local function interps(columns)
  local list = {}
  for _, c in ipairs(columns) do
    local interp = c:match("^(.+)%-pooled$")
    if interp and interp ~= "cosocket" then list[#list + 1] = interp end
  end
  return list
end

-- ---- W6 --------------------------------------------------------------------

local W6_KINDS = {
  s_time = "openssl s_time",
  cosocket = "cosockets in nginx",
}

local W6_MODES = {
  fullget = "full+GET",
  resumedget = "resumed+GET",
}

-- "luajit-full" -> "native luajit, full"; "s_time-resumedget" -> "openssl
-- s_time, resumed+GET"
local function w6_label(c)
  local kind, mode = c:match("^(.+)%-(%a+)$")
  if not kind then return c end
  return (W6_KINDS[kind] or ("native " .. kind)) .. ", "
         .. (W6_MODES[mode] or mode)
end

-- the interpreters of the native columns, from the columns with MODE
local function w6_interps(columns, mode)
  local list = {}
  for _, c in ipairs(columns) do
    local kind = c:match("^(.+)%-" .. mode .. "$")
    if kind and not W6_KINDS[kind] then list[#list + 1] = kind end
  end
  return list
end

local function w6_handshakes(version)
  return {
    title = "W6 TLS " .. version .. " handshakes: connect + "
            .. "sslhandshake(nil or session, \"localhost\", true) "
            .. "[+ GET / and its reply] + close",
    unit = "handshakes/s",
    notes = true,
    label = w6_label,
    ratios = function(columns)
      local list, is = {}, w6_interps(columns, "full")
      local function add(a, b, goal) list[#list + 1] = { a, b, goal } end
      for _, i in ipairs(is) do add(i .. "-full", "s_time-full", 0.9) end
      for _, i in ipairs(is) do add(i .. "-resumed", i .. "-full", 3.0) end
      for _, i in ipairs(is) do add(i .. "-full", "cosocket-full") end
      for _, i in ipairs(is) do add(i .. "-fullget", "s_time-fullget") end
      for _, i in ipairs(is) do add(i .. "-resumedget", i .. "-fullget") end
      for _, i in ipairs(is) do
        add(i .. "-resumedget", "s_time-resumedget")
      end
      for _, i in ipairs(is) do
        if i ~= "luajit" then
          add(i .. "-full", "luajit-full", 0.8)
          add(i .. "-resumed", "luajit-resumed", 0.8)
        end
      end
      add("s_time-resumed", "s_time-full")
      add("s_time-resumedget", "s_time-fullget")
      add("cosocket-resumed", "cosocket-full")
      add("cosocket-resumedget", "cosocket-fullget")
      return list
    end,
  }
end

local w6_bulk = {
  title = "W6 bulk receive(65536): a stream of GET /bulk over TLS "
          .. "(s_server -WWW) or FLOOD over plain TCP (bench-server)",
  unit = "MiB/s",
  scale = 1 / 1048576,
  notes = true,
  label = w6_label,
  ratios = function(columns)
    local list, is = {}, w6_interps(columns, "tls")
    for _, i in ipairs(is) do
      list[#list + 1] = { i .. "-tls", i .. "-plain" }
    end
    list[#list + 1] = { "cosocket-tls", "cosocket-plain" }
    for _, i in ipairs(is) do
      list[#list + 1] = { i .. "-tls", "cosocket-tls" }
    end
    for _, i in ipairs(is) do
      if i ~= "luajit" then
        list[#list + 1] = { i .. "-tls", "luajit-tls", 0.8 }
      end
    end
    return list
  end,
}

local workloads = {
  w6_bulk = w6_bulk,
  w5_pool = {
    title = "W5 pool: connect + send PING + receive +PONG, then "
            .. "setkeepalive (pooled) or close (unpooled)",
    unit = "cycles/s",
    label = function(c)
      return W5_LABELS[c] or ("native " .. c:gsub("%-", ", "))
    end,
    -- { numerator, denominator, goal or nil }
    ratios = function(columns)
      local list, is = {}, interps(columns)
      for _, i in ipairs(is) do
        list[#list + 1] = { i .. "-pooled", "cosocket-pooled", 1.05 }
      end
      for _, i in ipairs(is) do
        list[#list + 1] = { i .. "-unpooled", "c-close", 0.95 }
      end
      for _, i in ipairs(is) do
        if i ~= "luajit" then
          list[#list + 1] = { i .. "-pooled", "luajit-pooled", 0.8 }
          list[#list + 1] = { i .. "-unpooled", "luajit-unpooled", 0.8 }
        end
      end
      list[#list + 1] = { "cosocket-pooled", "cosocket-unpooled" }
      for _, i in ipairs(is) do
        list[#list + 1] = { i .. "-pooled", i .. "-unpooled" }
      end
      return list
    end,
  },
}

-- ---- W1-W4 -------------------------------------------------------------------

-- COLUMN is KIND-MODE; KIND c, cosocket, cosocket64k, luasocket or an
-- interpreter of the native socket
local KINDS = {
  c = "C client",
  cosocket = "cosockets in nginx",
  cosocket64k = "cosockets in nginx, 64k buffer",
  luasocket = "LuaSocket",
}

local function kind_mode(c)
  return c:match("^(.+)%-(%w+)$")
end

-- W3's floor columns, floor_<interp>: bench/floor.c, a receive that only
-- returns the line, called by the same loop (no socket, no I/O)
local function floor_of(kind)
  return kind:match("^floor_(.+)$")
end

local function kind_label(kind)
  local interp = floor_of(kind)
  if interp then return "floor " .. interp .. " (C method, no I/O)" end
  return KINDS[kind] or ("native " .. kind)
end

-- a column of a socket: the floors are left out of the goals, the summary
-- and the plot
local function is_socket(kind)
  return not floor_of(kind)
end

-- the native columns' interpreters, in the order they ran
local function native_interps(columns)
  local list, seen = {}, {}
  for _, c in ipairs(columns) do
    local kind = kind_mode(c)
    if kind and not KINDS[kind] and is_socket(kind) and not seen[kind] then
      seen[kind] = true
      list[#list + 1] = kind
    end
  end
  return list
end

local function modes_of(columns)
  local list, seen = {}, {}
  for _, c in ipairs(columns) do
    local _, mode = kind_mode(c)
    if mode and not seen[mode] then
      seen[mode] = true
      list[#list + 1] = mode
    end
  end
  return list
end

-- goals: vs_c (native / C client), vs_cosocket (native / both cosocket
-- columns); every interpreter >= 0.8 x luajit
local function w1to4(title, unit, scale, show_mode, goals)
  return {
    title = title,
    unit = unit,
    scale = scale,
    label = function(c)
      local kind, mode = kind_mode(c)
      if not kind then return c end
      return kind_label(kind) .. (show_mode and ", " .. mode or "")
    end,
    versus = function(c)
      local _, mode = kind_mode(c)
      return {
        { "x C", "c-" .. mode },
        { "x cos", "cosocket-" .. mode },
        { "x cos64k", "cosocket64k-" .. mode },
      }
    end,
    ratios = function(columns)
      local list, is = {}, native_interps(columns)
      local function add(a, b, goal) list[#list + 1] = { a, b, goal } end
      -- the ratios with a goal (the others are the table's x columns),
      -- and the native socket's to LuaSocket's (under luajit, by default)
      for _, m in ipairs(modes_of(columns)) do
        for _, i in ipairs(is) do
          if goals.vs_c then add(i .. "-" .. m, "c-" .. m, goals.vs_c) end
        end
        for _, i in ipairs(is) do
          if goals.vs_cosocket then
            add(i .. "-" .. m, "cosocket-" .. m, goals.vs_cosocket)
            add(i .. "-" .. m, "cosocket64k-" .. m, goals.vs_cosocket)
          end
        end
        add("luajit-" .. m, "luasocket-" .. m)
        for _, i in ipairs(is) do
          if i ~= "luajit" then
            add(i .. "-" .. m, "luajit-" .. m, 0.8)
            -- the most any lua_CFunction could reach on that interpreter
            add("floor_" .. i .. "-" .. m, "luajit-" .. m)
          end
        end
        for _, i in ipairs(is) do
          add(i .. "-" .. m, "floor_" .. i .. "-" .. m)
        end
      end
      return list
    end,
  }
end

workloads.w1_pingpong = w1to4(
  "W1 ping-pong: send \"PING\\r\\n\", receive() of \"+PONG\", on one "
    .. "connection to bench-server (echo) or redis-server (redis)",
  "round trips/s", 1, true, { vs_c = 0.97 })
workloads.w2_bulk = w1to4(
  "W2 bulk: receive(65536) of streams of 512 MiB (FLOOD to bench-server)",
  "MiB/s", 1 / 1048576, false, { vs_c = 0.95 })
workloads.w3_lines = w1to4(
  "W3 lines: receive(\"*l\") of streams of 2 M lines of 16 bytes "
    .. "(LINES to bench-server)",
  "lines/s", 1, false, { vs_cosocket = 4.0 })
workloads.w4_until = w1to4(
  "W4 receiveuntil: a reader(65536) of bodies of 64 MiB before a "
    .. "boundary (UNTIL to bench-server)",
  "MiB/s", 1 / 1048576, false, { vs_c = 0.9, vs_cosocket = 5.0 })

local generic = {
  unit = "units/s",
  label = function(c) return c end,
  ratios = function() return {} end,
}

-- ---- reading ----------------------------------------------------------------

-- data[table] = { columns = {...}, rate = {...}, notes = {...} }
local order, data = {}, {}
local f = assert(io.open(path, "r"))
for line in f:lines() do
  local w, col, round, units, secs, note =
    line:match("^(%S+) (%S+) (%d+) (%d+) ([%d.]+) ?(%S*)$")
  if not w then
    error("bench/report.lua: bad line: " .. line)
  end
  local d = data[w]
  if not d then
    d = { columns = {}, rate = {}, notes = {} }
    data[w] = d
    order[#order + 1] = w
  end
  if not d.rate[col] then
    d.rate[col] = {}
    d.notes[col] = {}
    d.columns[#d.columns + 1] = col
  end
  d.rate[col][tonumber(round)] = tonumber(units) / tonumber(secs)
  local notes = d.notes[col]
  for word in note:gmatch("[^,]+") do
    local cpu = word:match("^cpu=(%d+)%%$")
    if cpu then
      notes.cpu = notes.cpu or {}
      notes.cpu[#notes.cpu + 1] = tonumber(cpu)
    elseif not notes[word] then
      notes[word] = true
      notes[#notes + 1] = word
    end
  end
end
f:close()

local function spec_of(w)
  local version = w:match("^w6_tls(%d[%d.]*)$")
  if version then return w6_handshakes(version) end
  return workloads[w] or generic
end

-- ---- printing ---------------------------------------------------------------

local function list_of(by_round)
  local xs = {}
  for _, x in pairs(by_round) do xs[#xs + 1] = x end
  return xs
end

local function per_round_ratios(a, b)
  local xs = {}
  for round, x in pairs(a) do
    if b[round] then xs[#xs + 1] = x / b[round] end
  end
  return xs
end

for _, w in ipairs(order) do
  local d, spec = data[w], spec_of(w)
  local scale = spec.scale or 1
  local rounds = 0
  for _, col in ipairs(d.columns) do
    local n = #list_of(d.rate[col])
    if n > rounds then rounds = n end
  end
  local lwidth = 34
  for _, col in ipairs(d.columns) do
    if #spec.label(col) > lwidth then lwidth = #spec.label(col) end
  end
  -- W1-W4: the ratios of each median to those of the C client and the
  -- cosockets, "-" where that column did not run or is this one
  local function versus(col, header)
    if not spec.versus then return "" end
    local cells = {}
    for i, v in ipairs(spec.versus(col or d.columns[1])) do
      if header then
        cells[i] = string.format("%9s", v[1])
      elseif v[2] ~= col and d.rate[v[2]] then
        cells[i] = string.format("%9.2f", median(list_of(d.rate[col]))
                                 / median(list_of(d.rate[v[2]])))
      else
        cells[i] = string.format("%9s", "-")
      end
    end
    return table.concat(cells)
  end
  print(spec.title or w)
  print(string.format("%-" .. lwidth .. "s %10s %10s %10s%s   (%s, %d round%s)%s",
                      "column", "median", "min", "max", versus(nil, true),
                      spec.unit, rounds, rounds == 1 and "" or "s",
                      spec.notes and "   notes" or ""))
  for _, col in ipairs(d.columns) do
    local xs = list_of(d.rate[col])
    local lo, hi = min_max(xs)
    local notes = ""
    if spec.notes then
      local words = {}
      for i, word in ipairs(d.notes[col]) do words[i] = word end
      if d.notes[col].cpu then
        words[#words + 1] = string.format("cpu %.0f%%", median(d.notes[col].cpu))
      end
      notes = "   " .. table.concat(words, " ")
    end
    print(string.format("%-" .. lwidth .. "s %10.0f %10.0f %10.0f%s%s",
                        spec.label(col), median(xs) * scale, lo * scale,
                        hi * scale, versus(col), notes))
  end
  local ratios = spec.ratios(d.columns)
  -- the names of the ratios whose both columns ran, and their width
  local shown, width = {}, 58
  for _, r in ipairs(ratios) do
    if d.rate[r[1]] and d.rate[r[2]] then
      local name = spec.label(r[1]) .. " / " .. spec.label(r[2])
      shown[#shown + 1] = { name = name, r = r }
      if #name > width then width = #name end
    end
  end
  local row = "%-" .. width .. "s %6s %6s %6s   %s"
  if #shown > 0 then
    print("")
    print(string.format(row, "ratio of medians", "ratio", "min", "max",
                        "goal"))
  end
  row = "%-" .. width .. "s %6.2f %6.2f %6.2f   %s"
  for _, s in ipairs(shown) do
    local r = s.r
    local a, b = d.rate[r[1]], d.rate[r[2]]
    local value = median(list_of(a)) / median(list_of(b))
    local lo, hi = min_max(per_round_ratios(a, b))
    local goal = r[3] and string.format(">= %.2f %s", r[3],
                   value >= r[3] and "met" or "MISSED") or "-"
    print(string.format(row, s.name, value, lo, hi, goal))
  end
  print("")
end

-- ---- the summary of W1-W4 --------------------------------------------------

-- { header, table, mode, unit scale }
local SUMMARY = {
  { "W1 echo RTT/s", "w1_pingpong", "echo", 1 },
  { "W1 redis RTT/s", "w1_pingpong", "redis", 1 },
  { "W2 MiB/s", "w2_bulk", "bulk", 1 / 1048576 },
  { "W3 lines/s", "w3_lines", "lines", 1 },
  { "W4 MiB/s", "w4_until", "until", 1 / 1048576 },
}

-- a row per column kind, a cell per workload and mode: the median, and its
-- ratio to the C client's
local function print_summary()
  local shown, kinds, seen = {}, {}, {}
  for _, x in ipairs(SUMMARY) do
    local d = data[x[2]]
    if d and d.rate["c-" .. x[3]] then
      shown[#shown + 1] = x
      for _, col in ipairs(d.columns) do
        local kind, mode = kind_mode(col)
        if mode == x[3] and is_socket(kind) and not seen[kind] then
          seen[kind] = true
          kinds[#kinds + 1] = kind
        end
      end
    end
  end
  if #shown == 0 then return end
  print("Summary of W1-W4: the median rate over the rounds and, after it, "
        .. "its ratio to the C client's")
  local head = string.format("%-30s", "column")
  for _, x in ipairs(shown) do head = head .. string.format(" %17s", x[1]) end
  print(head)
  for _, kind in ipairs(kinds) do
    local row = string.format("%-30s", kind_label(kind))
    for _, x in ipairs(shown) do
      local d = data[x[2]]
      local a, c = d.rate[kind .. "-" .. x[3]], d.rate["c-" .. x[3]]
      if a then
        local m = median(list_of(a))
        row = row .. string.format(" %11.0f %5s", m * x[4], kind == "c" and ""
                                   or string.format("%.2f", m / median(list_of(c))))
      else
        row = row .. string.format(" %17s", "-")
      end
    end
    print((row:gsub("%s+$", "")))
  end
  print("")
end

print_summary()

-- ---- instructions per step --------------------------------------------------

-- unit: the units (of the harness) of one step; max: the goal, at most
-- that many per step, under luajit; vs: { a, b, r }: a's count at most r
-- times b's
local INSTR = {
  { w = "w1_pingpong", header = "W1 per round trip", unit = 1, max = 600 },
  { w = "w2_bulk", header = "W2 per receive", unit = 65536,
    vs = { "lua5.4", "lua5.1", 1.5 } },
  { w = "w3_lines", header = "W3 per line", unit = 1, max = 250 },
}

-- steps(N): the units of a run of N (the harness's untimed tenth first)
local function steps(n)
  return n + math.floor(n / 10) + 1
end

local function print_instructions(file)
  local per, kinds, ns = {}, {}, {}
  for line in file:lines() do
    local w, col, n1, ir1, n2, ir2 =
      line:match("^(%S+) (%S+) (%d+) (%d+) (%d+) (%d+)$")
    if not w then
      error("bench/report.lua: bad line: " .. line)
    end
    local kind = kind_mode(col)
    n1, n2 = tonumber(n1), tonumber(n2)
    if not per[kind] then
      per[kind] = {}
      kinds[#kinds + 1] = kind
    end
    local unit = 1
    for _, x in ipairs(INSTR) do
      if x.w == w then unit = x.unit end
    end
    per[kind][w] = (tonumber(ir2) - tonumber(ir1))
                   / ((steps(n2) - steps(n1)) / unit)
    ns[w] = unit == 1 and n1 .. " and " .. n2
            or string.format("%d and %d receives", math.floor(n1 / unit),
                             math.floor(n2 / unit))
  end
  if #kinds == 0 then return end
  -- only the workloads this run counted
  local shown = {}
  for _, x in ipairs(INSTR) do
    if ns[x.w] then shown[#shown + 1] = x end
  end
  print("Instructions per step (callgrind): the user-space instructions of "
        .. "the client process (nginx's for the cosockets),")
  local runs = {}
  for _, x in ipairs(shown) do
    runs[#runs + 1] = x.header:match("^W%d") .. ": " .. ns[x.w]
  end
  print("(Ir(N2) - Ir(N1)) / (steps(N2) - steps(N1)), N1 and N2 timed "
        .. "steps (" .. table.concat(runs, "; ") .. ")")
  local head = string.format("%-34s", "column")
  for _, x in ipairs(shown) do
    head = head .. string.format(" %18s %6s %6s", x.header, "x C", "x cos")
  end
  print(head)
  -- v / the same figure of column kind `ref`, "-" where none or the same
  local function ratio(v, kind, ref, w)
    local r = per[ref] and per[ref][w]
    if v and r and kind ~= ref then return string.format(" %6.2f", v / r) end
    return string.format(" %6s", "-")
  end
  for _, kind in ipairs(kinds) do
    local row = string.format("%-34s", kind_label(kind))
    for _, x in ipairs(shown) do
      local v = per[kind][x.w]
      row = row .. (v and string.format(" %18.0f", v) or string.format(" %18s", "-"))
      row = row .. ratio(v, kind, "c", x.w) .. ratio(v, kind, "cosocket", x.w)
    end
    print(row)
  end
  print("")
  local function verdict(ok) return ok and "met" or "MISSED" end
  for _, x in ipairs(shown) do
    local v = per.luajit and per.luajit[x.w]
    if x.max and v then
      print(string.format("goal: %s, native luajit <= %d: %.0f %s", x.header,
                          x.max, v, verdict(v <= x.max)))
    end
    local a = x.vs and per[x.vs[1]] and per[x.vs[1]][x.w]
    local b = x.vs and per[x.vs[2]] and per[x.vs[2]][x.w]
    if a and b then
      print(string.format("goal: %s, native %s <= %.1f x native %s: "
                          .. "%.0f / %.0f = %.2f %s", x.header, x.vs[1],
                          x.vs[3], x.vs[2], a, b, a / b,
                          verdict(a / b <= x.vs[3])))
    end
  end
  print("")
end

-- calls print_table(file) with file NAME open, when a NAME is given
local function print_from(name, print_table)
  if not name then return end
  local file = assert(io.open(name, "r"))
  print_table(file)
  file:close()
end

print_from(instr_path, print_instructions)

-- ---- system calls per step ----------------------------------------------------

-- what one step is, per workload
local SYSCALL_STEPS = {
  w1_pingpong = "W1 per round trip",
  w5_pool = "W5 per cycle",
}

-- system calls per pooled cycle of W5, at most (a connect from the pool,
-- a send, a receive, setkeepalive); under 0.05 more is noise, as below
local SYSCALL_GOAL_W5 = 3

-- x as a count: at most 2 decimals, none that are 0 ("1", "1.5", "0.02")
local function count(x)
  return (string.format("%.2f", x):gsub("%.?0+$", ""))
end

local function print_syscalls(file)
  -- runs["WORKLOAD COLUMN"] = { w =, col =, ns = { N... }, [N] = { name = calls } }
  local runs, keys = {}, {}
  for line in file:lines() do
    local w, col, n, rest = line:match("^(%S+) (%S+) (%d+)(.*)$")
    if not w then
      error("bench/report.lua: bad line: " .. line)
    end
    local key = w .. " " .. col
    if not runs[key] then
      runs[key] = { w = w, col = col, ns = {} }
      keys[#keys + 1] = key
    end
    local calls = {}
    for name, c in rest:gmatch(" ([%w_]+)=(%d+)") do calls[name] = tonumber(c) end
    runs[key][tonumber(n)] = calls
    table.insert(runs[key].ns, tonumber(n))
  end
  if #keys == 0 then return end
  local lwidth, shown_ns = 34, {}
  for _, key in ipairs(keys) do
    local r = runs[key]
    local label = spec_of(r.w).label(r.col)
    if #label > lwidth then lwidth = #label end
    table.sort(r.ns)
    shown_ns[r.w] = r.ns[1] .. " and " .. r.ns[#r.ns]
  end
  local sizes = {}
  for _, w in ipairs({ "w1_pingpong", "w5_pool" }) do
    if shown_ns[w] then
      sizes[#sizes + 1] = SYSCALL_STEPS[w]:match("^W%d") .. ": " .. shown_ns[w]
    end
  end
  print("System calls per step (strace -f -c): the client process's (nginx's "
        .. "for the cosockets), by name,")
  print("(calls(N2) - calls(N1)) / (steps(N2) - steps(N1)), N1 and N2 timed "
        .. "steps (" .. table.concat(sizes, "; ") .. ")")
  local last_w, goals = nil, {}
  for _, key in ipairs(keys) do
    local r = runs[key]
    if r.w ~= last_w then
      print(SYSCALL_STEPS[r.w] or r.w)
      last_w = r.w
    end
    local n1, n2 = r.ns[1], r.ns[#r.ns]
    local cells, total = {}, 0
    if n1 ~= n2 then
      local c1, c2, names = r[n1], r[n2], {}
      for name in pairs(c1) do names[name] = true end
      for name in pairs(c2) do names[name] = true end
      local sorted = {}
      for name in pairs(names) do sorted[#sorted + 1] = name end
      table.sort(sorted)
      -- under 0.05 a step, a name is no call of the step's, but noise (the
      -- JIT's or the collector's, say): those go together as "other"
      local other = 0
      for _, name in ipairs(sorted) do
        local per = ((c2[name] or 0) - (c1[name] or 0)) / (steps(n2) - steps(n1))
        total = total + per
        if math.abs(per) >= 0.05 then
          cells[#cells + 1] = name .. " " .. count(per)
        else
          other = other + per
        end
      end
      if count(other) ~= "0" and count(other) ~= "-0" then
        cells[#cells + 1] = "other " .. count(other)
      end
    end
    print(string.format("%-" .. lwidth .. "s %s", spec_of(r.w).label(r.col),
                        n1 == n2 and "- (one run)"
                        or table.concat(cells, ", ") .. " = " .. count(total)))
    local kind = r.w == "w5_pool" and n1 ~= n2 and r.col:match("^(.+)%-pooled$")
    if kind and not KINDS[kind] then
      goals[#goals + 1] = string.format(
        "goal: W5 per cycle, native %s pooled <= %d: %s %s", kind,
        SYSCALL_GOAL_W5, count(total),
        total <= SYSCALL_GOAL_W5 + 0.05 and "met" or "MISSED")
    end
  end
  print("")
  if #goals > 0 then
    print(table.concat(goals, "\n"))
    print("")
  end
end

print_from(sys_path, print_syscalls)

-- ---- the plot's data ---------------------------------------------------------

-- rows: { label, table, mode, the C client's column }
local PLOT_ROWS = {
  { "W1 echo", "w1_pingpong", "echo", "c-echo" },
  { "W1 redis", "w1_pingpong", "redis", "c-redis" },
  { "W2 bulk", "w2_bulk", "bulk", "c-bulk" },
  { "W3 lines", "w3_lines", "lines", "c-lines" },
  { "W4 until", "w4_until", "until", "c-until" },
  { "W5 pooled", "w5_pool", "pooled", "c-keep" },
  { "W5 unpooled", "w5_pool", "unpooled", "c-close" },
}

local function write_plot(file)
  local rows, kinds, seen = {}, {}, {}
  for _, r in ipairs(PLOT_ROWS) do
    local d = data[r[2]]
    if d and d.rate[r[4]] then
      rows[#rows + 1] = r
      for _, col in ipairs(d.columns) do
        local kind, mode = kind_mode(col)
        if mode == r[3] and kind ~= "c" and is_socket(kind)
           and not seen[kind] then
          seen[kind] = true
          kinds[#kinds + 1] = kind
        end
      end
    end
  end
  if #rows == 0 then return end
  -- the series: the native interpreters, then the others, each in the order
  -- they ran
  local series = {}
  for _, kind in ipairs(kinds) do
    if not KINDS[kind] then series[#series + 1] = kind end
  end
  for _, kind in ipairs(kinds) do
    if KINDS[kind] then series[#series + 1] = kind end
  end
  kinds = series
  local head = { '"workload"' }
  for _, kind in ipairs(kinds) do
    head[#head + 1] = string.format('"%s" "min" "max"', kind_label(kind))
  end
  file:write(table.concat(head, " "), "\n")
  for _, r in ipairs(rows) do
    local d = data[r[2]]
    local ref = d.rate[r[4]]
    local cells = { '"' .. r[1] .. '"' }
    for _, kind in ipairs(kinds) do
      local a = d.rate[kind .. "-" .. r[3]]
      if a then
        local lo, hi = min_max(per_round_ratios(a, ref))
        cells[#cells + 1] = string.format("%.4f %.4f %.4f",
          median(list_of(a)) / median(list_of(ref)), lo, hi)
      else
        cells[#cells + 1] = "? ? ?"
      end
    end
    file:write(table.concat(cells, " "), "\n")
  end
end

if plot_path then
  local file = assert(io.open(plot_path, "w"))
  write_plot(file)
  file:close()
end
