-- bench/report.lua: the table of a benchmark run (bench/run.sh calls it).
--
--   <any lua> bench/report.lua RESULTS
--
-- RESULTS has one line per measurement:
--   WORKLOAD COLUMN ROUND UNITS SECONDS
-- Prints, per workload, each column's rate (UNITS/SECONDS) as the median
-- over the rounds with its spread (min and max), in the order the columns
-- first appear, then the workload's ratios: the ratio of the two medians,
-- with the min and max of the same ratio taken round by round (both columns
-- of a round ran back to back), and the goal of issue 6 where it has one.

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

local workloads = {
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

local order, data = {}, {} -- data[workload] = { columns = {...}, rate = {...} }
local f = assert(io.open(path, "r"))
for line in f:lines() do
  local w, col, round, units, secs =
    line:match("^(%S+) (%S+) (%d+) (%d+) ([%d.]+)$")
  if not w then
    error("bench/report.lua: bad line: " .. line)
  end
  local d = data[w]
  if not d then
    d = { columns = {}, rate = {} }
    data[w] = d
    order[#order + 1] = w
  end
  if not d.rate[col] then
    d.rate[col] = {}
    d.columns[#d.columns + 1] = col
  end
  d.rate[col][tonumber(round)] = tonumber(units) / tonumber(secs)
end
f:close()

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
  local d, spec = data[w], workloads[w] or generic
  local rounds = 0
  for _, col in ipairs(d.columns) do
    local n = #list_of(d.rate[col])
    if n > rounds then rounds = n end
  end
  print(spec.title or w)
  print(string.format("%-34s %10s %10s %10s   (%s, %d round%s)", "column",
                      "median", "min", "max", spec.unit, rounds,
                      rounds == 1 and "" or "s"))
  for _, col in ipairs(d.columns) do
    local xs = list_of(d.rate[col])
    local lo, hi = min_max(xs)
    print(string.format("%-34s %10.0f %10.0f %10.0f", spec.label(col),
                        median(xs), lo, hi))
  end
  local ratios = spec.ratios(d.columns)
  if #ratios > 0 then
    print("")
    print(string.format("%-58s %6s %6s %6s   %s", "ratio of medians",
                        "ratio", "min", "max", "goal"))
  end
  for _, r in ipairs(ratios) do
    local a, b = d.rate[r[1]], d.rate[r[2]]
    if a and b then
      local value = median(list_of(a)) / median(list_of(b))
      local lo, hi = min_max(per_round_ratios(a, b))
      local goal = r[3] and string.format(">= %.2f %s", r[3],
                     value >= r[3] and "met" or "MISSED") or "-"
      print(string.format("%-58s %6.2f %6.2f %6.2f   %s",
                          spec.label(r[1]) .. " / " .. spec.label(r[2]),
                          value, lo, hi, goal))
    end
  end
  print("")
end
