-- bench/report.lua: the table of a benchmark run (bench/run.sh calls it).
--
--   <any lua> bench/report.lua RESULTS
--
-- RESULTS has one line per measurement:
--   TABLE COLUMN ROUND UNITS SECONDS [NOTE]
-- (TABLE: the workload, or for W6 one of its tables: w6_tls1.3, w6_tls1.2,
-- w6_bulk). Prints, per table, each column's rate (UNITS/SECONDS) as the
-- median over the rounds with its spread (min and max), in the order the
-- columns first appear, then the table's ratios: the ratio of the two
-- medians, with the min and max of the same ratio taken round by round
-- (both columns of a round ran in the same round), and the goal of issue 5
-- or 6 where it has one. W6 tables also show each column's notes (what its
-- check found, e.g. whether the sessions resumed; words separated by
-- commas): the distinct words over the rounds, and of cpu=N% the median.

local path = ...
if not path then
  io.stderr:write("usage: bench/report.lua RESULTS\n")
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
        list[#list + 1] = { i .. "-pooled", "cosocket-pooled", 1.0 }
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
  print(spec.title or w)
  print(string.format("%-34s %10s %10s %10s   (%s, %d round%s)%s", "column",
                      "median", "min", "max", spec.unit, rounds,
                      rounds == 1 and "" or "s",
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
    print(string.format("%-34s %10.0f %10.0f %10.0f%s", spec.label(col),
                        median(xs) * scale, lo * scale, hi * scale, notes))
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
