/* LuaJIT's bit module for the interpreters without it: the same functions,
 * arguments read the same way, results printing the same.
 *
 * Every operation works on 32-bit patterns and returns a signed 32-bit
 * number. An argument becomes a pattern as LuaJIT makes it: numbers and
 * numeric strings, rounded to the nearest integer (halfway to even), modulo
 * 2^32. On Lua 5.3+ an integer argument is taken modulo 2^32 exactly and
 * results are integers, so that nothing prints as "1.0". */
#include "lua/bitop.h"
#include "lua/compat.h"

#include <stdint.h>

/* Adding 2^52 + 2^51 moves the integer part of any |n| < 2^51 into the low
 * bits of the double's mantissa, rounded as the FPU rounds (to even): the
 * low 32 bits of the representation are then n modulo 2^32. Larger values,
 * infinities and NaN give whatever bits are there, as on LuaJIT, which
 * converts the same way. */
static uint32_t number_bits(lua_Number n)
{
    union {
        double d;
        uint64_t u;
    } v;

    v.d = (double)n + 6755399441055744.0;
    return (uint32_t)v.u;
}

static uint32_t bit_arg(lua_State *L, int idx)
{
    if (!compat_isnumber(L, idx))
        compat_typeerror(L, idx, "number");
#if LUA_VERSION_NUM >= 503
    if (lua_isinteger(L, idx))
        return (uint32_t)(lua_Unsigned)lua_tointeger(L, idx);
#endif
    return number_bits(compat_tonumber(L, idx));
}

/* the pattern as a signed number (no implementation-defined casts) */
static int push_bits(lua_State *L, uint32_t b)
{
#if LUA_VERSION_NUM >= 503
    lua_Integer v = (lua_Integer)b;
    if (b & 0x80000000u)
        v -= (lua_Integer)0x100000000;
    lua_pushinteger(L, v);
#else
    lua_Number v = (lua_Number)b;
    if (b & 0x80000000u)
        v -= 4294967296.0;
    lua_pushnumber(L, v);
#endif
    return 1;
}

/* a shift or rotation count: only its low five bits count */
static unsigned shift_arg(lua_State *L, int idx)
{
    return bit_arg(L, idx) & 31u;
}

static int bit_tobit(lua_State *L)
{
    return push_bits(L, bit_arg(L, 1));
}

static int bit_bnot(lua_State *L)
{
    return push_bits(L, ~bit_arg(L, 1));
}

/* band, bor and bxor fold any number of arguments, at least one */
static int bit_band(lua_State *L)
{
    uint32_t b = bit_arg(L, 1);
    int i, n = lua_gettop(L);

    for (i = 2; i <= n; i++)
        b &= bit_arg(L, i);
    return push_bits(L, b);
}

static int bit_bor(lua_State *L)
{
    uint32_t b = bit_arg(L, 1);
    int i, n = lua_gettop(L);

    for (i = 2; i <= n; i++)
        b |= bit_arg(L, i);
    return push_bits(L, b);
}

static int bit_bxor(lua_State *L)
{
    uint32_t b = bit_arg(L, 1);
    int i, n = lua_gettop(L);

    for (i = 2; i <= n; i++)
        b ^= bit_arg(L, i);
    return push_bits(L, b);
}

static int bit_lshift(lua_State *L)
{
    uint32_t b = bit_arg(L, 1);
    return push_bits(L, b << shift_arg(L, 2));
}

static int bit_rshift(lua_State *L)
{
    uint32_t b = bit_arg(L, 1);
    return push_bits(L, b >> shift_arg(L, 2));
}

/* the sign bit copied in from the left, spelled out: >> of a negative
 * signed value is implementation-defined in C */
static int bit_arshift(lua_State *L)
{
    uint32_t b = bit_arg(L, 1);
    unsigned n = shift_arg(L, 2);

    if (b & 0x80000000u)
        return push_bits(L, ~(~b >> n));
    return push_bits(L, b >> n);
}

/* (a shift by 32 is undefined in C: a rotation by 0 is the value) */
static int bit_rol(lua_State *L)
{
    uint32_t b = bit_arg(L, 1);
    unsigned n = shift_arg(L, 2);

    return push_bits(L, n == 0 ? b : (b << n) | (b >> (32 - n)));
}

static int bit_ror(lua_State *L)
{
    uint32_t b = bit_arg(L, 1);
    unsigned n = shift_arg(L, 2);

    return push_bits(L, n == 0 ? b : (b >> n) | (b << (32 - n)));
}

static int bit_bswap(lua_State *L)
{
    uint32_t b = bit_arg(L, 1);

    return push_bits(L, (b >> 24) | ((b >> 8) & 0xff00u)
                            | ((b << 8) & 0xff0000u) | (b << 24));
}

/* LuaJIT 2.1 writes at most this many digits, whatever the count asked */
#define TOHEX_MAX 254

/* tohex(x [, n]): n digits (8 when n is absent, not when it is nil), the
 * low ones of x, zero-filled beyond its 8; negative n for capitals. */
static int bit_tohex(lua_State *L)
{
    static const char lower[] = "0123456789abcdef";
    static const char upper[] = "0123456789ABCDEF";
    char buf[TOHEX_MAX];
    const char *digits = lower;
    uint32_t b = bit_arg(L, 1), n = 8;
    size_t count, i;

    if (lua_gettop(L) >= 2) {
        n = bit_arg(L, 2);
        if (n & 0x80000000u) {
            /* the magnitude, 2^31 included, as an unsigned value */
            n = 0u - n;
            digits = upper;
        }
    }
    count = n > TOHEX_MAX ? TOHEX_MAX : n;
    for (i = count; i > 0; i--) {
        buf[i - 1] = digits[b & 15u];
        b >>= 4;
    }
    lua_pushlstring(L, buf, count);
    return 1;
}

static const luaL_Reg bit_funcs[] = {
    {"tobit", bit_tobit},   {"tohex", bit_tohex},     {"bnot", bit_bnot},
    {"band", bit_band},     {"bor", bit_bor},         {"bxor", bit_bxor},
    {"lshift", bit_lshift}, {"rshift", bit_rshift},   {"arshift", bit_arshift},
    {"rol", bit_rol},       {"ror", bit_ror},         {"bswap", bit_bswap},
    {NULL, NULL},
};

int bitop_open(lua_State *L)
{
    lua_newtable(L);
    compat_setfuncs(L, bit_funcs, 0);
    return 1;
}
