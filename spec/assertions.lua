-- The assert table of spec/run.lua: callable like the builtin assert, with
-- busted-style checks as fields. Every failure raises an error whose text
-- shows what was expected and what came.

local type, tostring, pairs, pcall, select = type, tostring, pairs, pcall, select
local format, concat, sort = string.format, table.concat, table.sort

local M = {}

local function quote(s)
    return '"' .. s:gsub('[%c"\\\128-\255]', function(c)
        local named = {["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t",
                       ['"'] = '\\"', ["\\"] = "\\\\"}
        return named[c] or format("\\%03d", c:byte())
    end) .. '"'
end

local function show(v, seen)
    local tv = type(v)
    if tv == "string" then
        if #v > 200 then return quote(v:sub(1, 200)) .. "...(" .. #v .. " bytes)" end
        return quote(v)
    end
    if tv ~= "table" then return tostring(v) end
    seen = seen or {}
    if seen[v] then return "<cycle>" end
    seen[v] = true
    local keys, n = {}, 0
    for k in pairs(v) do keys[#keys + 1] = k end
    -- the list part 1..n first, bare; nils up to v.n count as list slots
    local len = type(v.n) == "number" and v.n or #v
    local parts = {}
    for i = 1, len do parts[i] = show(v[i], seen) n = i end
    sort(keys, function(a, b)
        local ta, tb = type(a), type(b)
        if ta ~= tb then return ta < tb end
        if ta == "number" or ta == "string" then return a < b end
        return tostring(a) < tostring(b)
    end)
    for _, k in ipairs(keys) do
        if not (type(k) == "number" and k >= 1 and k <= n and k % 1 == 0) then
            local ks = type(k) == "string" and k:match("^[%a_][%w_]*$") and k
                       or "[" .. show(k, seen) .. "]"
            parts[#parts + 1] = ks .. " = " .. show(v[k], seen)
        end
    end
    seen[v] = nil
    return "{" .. concat(parts, ", ") .. "}"
end
M.show = show

local function deep_equal(a, b)
    if a == b then return true end
    if type(a) ~= "table" or type(b) ~= "table" then
        -- NaN is not equal to itself; nothing else needs care
        return false
    end
    for k, v in pairs(a) do
        if not deep_equal(v, b[k]) then return false end
    end
    for k in pairs(b) do
        if a[k] == nil then return false end
    end
    return true
end
M.deep_equal = deep_equal

local function fail(msg, user_msg, level)
    if user_msg then msg = tostring(user_msg) .. ": " .. msg end
    error(msg, (level or 2) + 1)
end

-- assert(v, msg, ...) keeps the builtin's behaviour
setmetatable(M, {__call = function(_, v, msg, ...)
    if not v then fail(msg ~= nil and tostring(msg) or "assertion failed!", nil) end
    return v, msg, ...
end})

function M.equal(expected, actual, msg)
    if not deep_equal(expected, actual) then
        fail(format("expected %s, got %s", show(expected), show(actual)), msg)
    end
end
M.same = M.equal
M.are_equal = M.equal

function M.not_equal(unexpected, actual, msg)
    if deep_equal(unexpected, actual) then
        fail(format("expected anything but %s", show(unexpected)), msg)
    end
end

function M.is_nil(v, msg)
    if v ~= nil then fail("expected nil, got " .. show(v), msg) end
end

function M.is_not_nil(v, msg)
    if v == nil then fail("expected a value, got nil", msg) end
end

function M.is_true(v, msg)
    if v ~= true then fail("expected true, got " .. show(v), msg) end
end

function M.is_false(v, msg)
    if v ~= false then fail("expected false, got " .. show(v), msg) end
end

function M.truthy(v, msg)
    if not v then fail("expected a truthy value, got " .. show(v), msg) end
end

function M.falsy(v, msg)
    if v then fail("expected a falsy value, got " .. show(v), msg) end
end

function M.is_type(tname, v, msg)
    if type(v) ~= tname then
        fail(format("expected a %s, got %s", tname, show(v)), msg)
    end
end

function M.is_string(v, msg) M.is_type("string", v, msg) end
function M.is_number(v, msg) M.is_type("number", v, msg) end

-- matches(pattern, s): a Lua pattern search in s
function M.matches(pattern, s, msg)
    if type(s) ~= "string" or not s:find(pattern) then
        fail(format("expected a string matching %s, got %s", show(pattern), show(s)), msg)
    end
end

-- a plain substring, or failing that a Lua pattern
local function text_matches(s, pattern)
    if s:find(pattern, 1, true) then return true end
    local ok, found = pcall(string.find, s, pattern)
    return ok and found ~= nil
end

-- error_matches(fn, pattern_or_plain[, msg]): fn must raise an error whose
-- text contains the string (plain) or matches it (pattern)
function M.error_matches(fn, pattern, msg)
    local ok, err = pcall(fn)
    if ok then
        fail(format("expected an error matching %s, none raised", show(pattern)), msg)
    end
    if not text_matches(tostring(err), pattern) then
        fail(format("expected an error matching %s, got %s", show(pattern), show(err)), msg)
    end
    return err
end

-- has_error(fn[, text]): fn must raise; with text, the message (without a
-- leading "file:line: ") must be exactly text
function M.has_error(fn, text, msg)
    local ok, err = pcall(fn)
    if ok then fail("expected an error, none raised", msg) end
    if text ~= nil then
        local s = tostring(err):gsub("^[^:\n]+:%d+: ", "")
        if s ~= text then
            fail(format("expected the error %s, got %s", show(text), show(err)), msg)
        end
    end
    return err
end

function M.no_error(fn, msg)
    local ok, err = pcall(fn)
    if not ok then fail("expected no error, got " .. show(err), msg) end
end

-- pack(...): the values with their count, so that trailing nils count
function M.pack(...)
    return {n = select("#", ...), ...}
end

-- returns(want, ...): the call's values, count included; want is a list
-- with its count in want.n (from pack) or #want
function M.returns(want, ...)
    local got = M.pack(...)
    if want.n == nil then
        local w = {n = #want}
        for i = 1, w.n do w[i] = want[i] end
        want = w
    end
    if not deep_equal(want, got) then
        fail(format("expected the values %s, got %s", show(want), show(got)), nil)
    end
end

-- busted spellings
M.are = M
M.is = M

return M
