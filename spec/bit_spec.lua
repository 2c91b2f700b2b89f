-- resty.luasocket.native.bit: LuaJIT's bit module for the interpreters
-- without one (load() gives it to modules that require "bit"). The
-- expected values were printed by LuaJIT 2.1's own bit; t/diff cases
-- 250-251 compare the two directly.

local bit = require("resty.luasocket.native").bit

local unpack = table.unpack or unpack -- luacheck: ignore 143
local math_type = math.type -- luacheck: ignore 143

-- each row: x, then tobit(x), bnot, bswap, band(x, 0xff00ff0f),
-- bor(x, 0x0f0f0f0f), bxor(x, -0x55555556), lshift(x, 7), rshift(x, 7),
-- arshift(x, 7), rol(x, 7), ror(x, 7), tohex(x), tohex(x, -4)
local LUAJIT = {
    {0, 0, -1, 0, 0, 252645135, -1431655766, 0, 0, 0, 0, 0, "00000000", "0000"},
    {1, 1, -2, 16777216, 1, 252645135, -1431655765, 128, 0, 0, 128, 33554432, "00000001", "0001"},
    {-1, -1, 0, -1, -16711921, -1, 1431655765, -128, 33554431, -1, -1, -1, "ffffffff", "FFFF"},
    {2147483647, 2147483647, -2147483648, -129, 2130771727, 2147483647, -715827883,
     -128, 16777215, 16777215, -65, -16777217, "7fffffff", "FFFF"},
    {-2147483648, -2147483648, 2147483647, 128, -2147483648, -1894838513, 715827882,
     0, 16777216, -16777216, 64, 16777216, "80000000", "0000"},
    {305419896, 305419896, -305419897, 2018915346, 302011912, 524246911, -1197540142,
     439041024, 2386092, 2386092, 439041033, -266049364, "12345678", "5678"},
    {3735928559, -559038737, 559038736, -272716322, -570376689, -542130193, 1946620997,
     1457485696, 29186941, -4367491, 1457485807, -541238403, "deadbeef", "BEEF"},
    {2 ^ 32 + 3, 3, -4, 50331648, 3, 252645135, -1431655767,
     384, 0, 0, 384, 100663296, "00000003", "0003"},
    {1.5, 2, -3, 33554432, 2, 252645135, -1431655768, 256, 0, 0, 256, 67108864, "00000002", "0002"},
    {2.5, 2, -3, 33554432, 2, 252645135, -1431655768, 256, 0, 0, 256, 67108864, "00000002", "0002"},
    {-2.5, -2, 1, -16777217, -16711922, -1, 1431655764,
     -256, 33554431, -1, -129, -33554433, "fffffffe", "FFFE"},
    {2 ^ 52 + 2 ^ 40, 0, -1, 0, 0, 252645135, -1431655766, 0, 0, 0, 0, 0, "00000000", "0000"},
    {1e300, -2013235812, 2013235811, -1670053752, -2013235956, -1894809697, 581623606,
     3853824, 17826027, -15728405, 3853892, 957350123, "8800759c", "759C"},
    {0 / 0, 0, -1, 0, 0, 252645135, -1431655766, 0, 0, 0, 0, 0, "00000000", "0000"},
}

local function row_of(x)
    return {x, bit.tobit(x), bit.bnot(x), bit.bswap(x), bit.band(x, 0xff00ff0f),
            bit.bor(x, 0x0f0f0f0f), bit.bxor(x, -0x55555556), bit.lshift(x, 7),
            bit.rshift(x, 7), bit.arshift(x, 7), bit.rol(x, 7), bit.ror(x, 7),
            bit.tohex(x), bit.tohex(x, -4)}
end

describe("native bit", function()
    it("has LuaJIT's functions", function()
        local names = {}
        for k, v in pairs(bit) do
            assert.equal("function", type(v))
            names[#names + 1] = k
        end
        table.sort(names)
        assert.equal({"arshift", "band", "bnot", "bor", "bswap", "bxor", "lshift",
                      "rol", "ror", "rshift", "tobit", "tohex"}, names)
    end)

    it("gives LuaJIT's values", function()
        for _, want in ipairs(LUAJIT) do
            local got = row_of(want[1])
            for i = 2, #want do
                assert.equal(want[i], got[i], "column " .. i .. " of " .. tostring(want[1]))
            end
        end
    end)

    it("prints like LuaJIT: whole numbers, integers on Lua 5.3+", function()
        assert.equal("1", tostring(bit.tobit(1)))
        assert.equal("-1", tostring(bit.bnot(0)))
        assert.equal("-2147483648", tostring(bit.lshift(1, 31)))
        assert.equal("2", tostring(bit.tobit(1.5)))
        if math_type then
            assert.equal("integer", math_type(bit.band(3.0, 1.0)))
            assert.equal("integer", math_type(bit.tobit(0.5)))
        end
    end)

    it("rounds halfway values to even, like LuaJIT's conversion", function()
        assert.equal({0, 2, 2, 4, -2, -2, 0}, {bit.tobit(0.5), bit.tobit(1.5),
            bit.tobit(2.5), bit.tobit(3.5), bit.tobit(-1.5), bit.tobit(-2.5),
            bit.tobit(-0.5)})
        assert.equal(1, bit.tobit(0.50000000000000011))
    end)

    it("takes numeric strings", function()
        assert.equal(12, bit.tobit("12"))
        assert.equal(16, bit.tobit("0x10"))
        assert.equal(12, bit.tobit(" 12 "))
        assert.equal(-8, bit.tobit("-7.5"))
        assert.equal("000000ff", bit.tohex("255"))
        assert.equal(0, bit.tobit("inf"))
    end)

    if math_type then
        it("takes Lua 5.3 integers modulo 2^32 exactly", function()
            -- LuaJIT has no such integers; its doubles agree below 2^51
            local int = load("return 0x7fffffffffffffff, (1 << 60) + 1, "
                             .. "math.mininteger + 5")
            local max, big, min = int()
            assert.equal(-1, bit.tobit(max))
            assert.equal(1, bit.tobit(big))
            assert.equal(5, bit.tobit(min))
            assert.equal("00000001", bit.tohex(big))
        end)
    end

    it("folds any number of arguments in band, bor, bxor", function()
        assert.equal(0x1234, bit.band(0x1234))
        assert.equal(2, bit.band(7, 3, 2))
        assert.equal(15, bit.bor(1, 2, 4, 8))
        assert.equal(0, bit.bxor(5, 5, 7, 7))
        local many = {}
        for i = 1, 1000 do many[i] = 1 end
        assert.equal(0, bit.bxor(unpack(many)))
        assert.equal(1, bit.band(unpack(many)))
    end)

    it("counts shifts and rotations modulo 32", function()
        assert.equal(1, bit.lshift(1, 32))
        assert.equal(2, bit.lshift(1, 33))
        assert.equal(-2147483648, bit.lshift(1, -1))
        assert.equal(-1, bit.arshift(-1, 31))
        assert.equal(1, bit.rshift(-1, 31))
        assert.equal(-2147483648, bit.rol(1, -1))
        assert.equal(0x12345678, bit.rol(0x12345678, 32))
        assert.equal(0x12345678, bit.ror(0x12345678, 0))
        assert.equal(bit.ror(0x12345678, 4), bit.rol(0x12345678, 28))
    end)

    it("writes tohex digits as LuaJIT 2.1 does", function()
        assert.equal("ffff", bit.tohex(-1, 4))
        assert.equal("FF", bit.tohex(255, -2))
        assert.equal("", bit.tohex(255, 0))
        assert.equal("0fffffffe", bit.tohex(-2, 9))
        assert.equal("00000000ffffffff", bit.tohex(-1, 16))
        assert.equal(254, #bit.tohex(1, 1000))
        assert.equal(string.rep("0", 248) .. "ABCDEF", bit.tohex(0xabcdef, -2 ^ 31))
        assert.equal("def", bit.tohex(0xabcdef, 2 ^ 32 + 3))
        assert.equal("", bit.tohex(0xabcdef, 0 / 0))
        assert.equal("2", bit.tohex(2.5, 1))
        assert.equal("4", bit.tohex(3.5, 1))
    end)

    it("raises LuaJIT's argument errors", function()
        local function err(f, ...)
            local ok, msg = pcall(f, ...)
            assert.is_false(ok)
            return (msg:gsub("^[^:]*:%d+: ", ""))
        end
        assert.matches("bad argument #1 to '.-' %(number expected, got no value%)",
                       err(function() return bit.tobit() end))
        assert.matches("#2 .-%(number expected, got nil%)",
                       err(function() local r = bit.tohex(1, nil) return r end))
        assert.matches("#3 .-%(number expected, got table%)",
                       err(function() local r = bit.bor(1, 2, {}) return r end))
        assert.matches("#2 .-%(number expected, got string%)",
                       err(function() local r = bit.band(1, "x") return r end))
        assert.matches("#2 .-%(number expected, got no value%)",
                       err(function() local r = bit.lshift(1) return r end))
        assert.matches("#1 .-%(number expected, got boolean%)",
                       err(function() local r = bit.bswap(true) return r end))
    end)

    if jit then
        it("agrees with LuaJIT's bit on random values", function()
            local real = require "bit"
            local seed = 42
            local function rnd()
                seed = (seed * 16807) % 2147483647
                return seed
            end
            for _ = 1, 20000 do
                local a = (rnd() - 2 ^ 30) * (rnd() % 7 == 0 and 3.25 or 1)
                local n = rnd() % 70 - 35
                assert.equal(real.tobit(a), bit.tobit(a))
                assert.equal(real.tohex(a, n), bit.tohex(a, n))
                assert.equal(real.arshift(a, n), bit.arshift(a, n))
                assert.equal(real.rol(a, n), bit.rol(a, n))
                assert.equal(real.bxor(a, n, a * 3), bit.bxor(a, n, a * 3))
                assert.equal(real.bswap(a), bit.bswap(a))
            end
        end)
    end
end)
