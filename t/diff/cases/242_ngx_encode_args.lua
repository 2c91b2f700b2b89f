-- peer: none
-- ngx.encode_args: one key per table (pairs come in hash order, which
-- differs between LuaJIT and PUC Lua), values and keys escaped as URI
-- components; true is the key alone, false nothing; a list gives one pair
-- per element (sequences only here: the order of lua_next); the errors of
-- ngx_lua's C function.
local ctx = ...
local ngx, P = ctx.ngx, ctx.pack

local z = 0.0
local cases = {
  {"empty table", {}},
  {"string", {a = "1"}}, {"empty string", {a = ""}}, {"number", {a = 1}},
  {"float", {a = 1.5}}, {"1e15", {a = 1e15}}, {"-0", {a = -z}},
  {"nan", {a = 0 / 0}}, {"inf", {a = math.huge}}, {"tie", {a = 123456789012345}},
  {"true", {a = true}}, {"false", {a = false}},
  {"escaped key and value", {["a b&c=d"] = "e f&g=h+i%j"}},
  {"utf-8", {["\195\188"] = "%~!*'()"}},
  {"empty key", {[""] = "x"}}, {"empty key true", {[""] = true}},
  {"bytes", {k = "\0\1\127\128\255"}},
  {"list", {a = {1, 2, 3}}}, {"list of strings", {a = {"x y", "", "z"}}},
  {"list with booleans", {a = {true, false, "x", false, true}}},
  {"list of false", {a = {false, false}}}, {"empty list", {a = {}}},
  {"list of one", {a = {"only"}}}, {"list of numbers", {a = {1.5, -2, 0 / 0}}},
  {"list with a table", {a = {1, {}}}}, {"list with a function", {a = {print}}},
  {"list with null", {a = {ngx.null}}},
  {"function", {a = print}}, {"null", {a = ngx.null}},
  {"coroutine", {a = coroutine.create(function() end)}},
  {"number key", {[1] = "x"}}, {"float key", {[1.5] = "x"}},
  {"boolean key", {[true] = "x"}}, {"table key", {[{}] = "x"}},
}
for _, c in ipairs(cases) do
  ctx.try(c[1], function() return P(ngx.encode_args(c[2])) end)
end

-- several keys: sorted here, since the order is the table's
local function sorted(s)
  local parts = {}
  for part in s:gmatch("[^&]+") do parts[#parts + 1] = part end
  table.sort(parts)
  return table.concat(parts, "&")
end
ctx.show("several keys", sorted(ngx.encode_args({a = 1, b = "two", c = true,
                                                 d = false, e = {3, 4}, f = {}})))

ctx.try("no argument", function() return P(ngx.encode_args()) end)
ctx.try("two arguments", function() return P(ngx.encode_args({}, 1)) end)
for _, c in ipairs({{"nil", nil}, {"string", "a=1"}, {"number", 1},
                    {"true", true}, {"function", print}}) do
  ctx.try("not a table " .. c[1], function() return P(ngx.encode_args(c[2])) end)
end
