/* ngx's encoders and digests for plain Lua: encode_base64, decode_base64,
 * md5, md5_bin, sha1_bin, hmac_sha1, crc32_short, crc32_long.
 *
 * ngx_lua 0.10.23 runs with resty.core, whose versions of all but
 * hmac_sha1 take any value and use tostring() of it (nil and false are the
 * empty string), while hmac_sha1 is a C function that takes strings and
 * numbers. Numbers become text as LuaJIT writes them, whatever the
 * interpreter: 1.0 is "1" on Lua 5.3 too. */
#include "lua/codec.h"
#include "lua/compat.h"

#include "core/codec.h"

#include <float.h>
#include <stdio.h>

/* 1 when the decimal expansion in s (printf's %.Ne: "d.ddd...e+XX", signed
 * or not) has a 5 for its 15th significant digit and zeros after it. */
static int tie_at_15(const char *s)
{
    const char *p = s + (*s == '-' ? 1 : 0) + 2; /* after "d." */
    int i;

    for (i = 0; i < 13; i++)
        if (*p++ == 'e')
            return 0;
    if (*p++ != '5')
        return 0;
    while (*p == '0')
        p++;
    return *p == 'e';
}

/* Pushes the number v as LuaJIT's tostring writes it: 14 significant
 * digits, "nan" whatever its sign, "-0" kept. LuaJIT rounds a value
 * exactly halfway between two 14-digit decimals away from zero (printf
 * rounds it to even): 123456789012345 is "1.2345678901235e+14". Such a
 * value is moved one unit in the last place away from zero first, which
 * changes no other digit. */
static void push_number_text(lua_State *L, lua_Number v)
{
    char buf[800];
    double d = (double)v;

    if (d != d) {
        lua_pushliteral(L, "nan");
        return;
    }
    if (d - d == 0) { /* finite */
        snprintf(buf, sizeof buf, "%.20e", d);
        if (tie_at_15(buf)) {
            /* the whole expansion: no double has more than 767 digits */
            snprintf(buf, sizeof buf, "%.780e", d);
            if (tie_at_15(buf))
                d *= 1.0 + DBL_EPSILON;
        }
    }
    snprintf(buf, sizeof buf, "%.14g", d);
    lua_pushstring(L, buf);
}

/* Argument idx as resty.core's tostring() makes it a string; the text is
 * pushed when it is not the argument itself. */
static const char *loose_string(lua_State *L, int idx, size_t *len)
{
    switch (lua_type(L, idx)) {
    case LUA_TSTRING:
        return lua_tolstring(L, idx, len);
    case LUA_TNONE:
    case LUA_TNIL:
        *len = 0;
        return "";
    case LUA_TBOOLEAN:
        if (!lua_toboolean(L, idx)) {
            *len = 0;
            return "";
        }
        lua_pushliteral(L, "true");
        break;
    case LUA_TNUMBER:
        push_number_text(L, lua_tonumber(L, idx));
        break;
    default:
        if (luaL_callmeta(L, idx, "__tostring")) {
            /* resty.core would fail on what is not a string too (#s) */
            if (lua_type(L, -1) != LUA_TSTRING)
                luaL_error(L, "'__tostring' must return a string");
        } else if (lua_type(L, idx) == LUA_TLIGHTUSERDATA
                   && lua_touserdata(L, idx) == NULL) {
            /* ngx.null, as LuaJIT names it */
            lua_pushliteral(L, "userdata: NULL");
        } else {
            lua_pushfstring(L, "%s: %p", luaL_typename(L, idx),
                            lua_topointer(L, idx));
        }
        break;
    }
    return lua_tolstring(L, -1, len);
}

/* Argument idx as ngx_lua's C functions read a string (luaL_checklstring
 * on LuaJIT): strings and numbers, anything else is a type error. */
static const char *strict_string(lua_State *L, int idx, size_t *len)
{
    switch (lua_type(L, idx)) {
    case LUA_TSTRING:
        return lua_tolstring(L, idx, len);
    case LUA_TNUMBER:
        push_number_text(L, lua_tonumber(L, idx));
        return lua_tolstring(L, -1, len);
    default:
        compat_typeerror(L, idx, "string");
        return NULL;
    }
}

/* Room for n bytes of output: on the C stack when small, else a userdata
 * (whose failure is Lua's "not enough memory" error, not a crash). */
#define SMALL_OUT 256
static char *out_buffer(lua_State *L, char *small, size_t n)
{
    return n <= SMALL_OUT ? small : lua_newuserdata(L, n);
}

static void push_u32(lua_State *L, uint32_t v)
{
#if LUA_VERSION_NUM >= 503
    lua_pushinteger(L, (lua_Integer)v);
#else
    lua_pushnumber(L, (lua_Number)v);
#endif
}

static int codec_encode_base64(lua_State *L)
{
    char small[SMALL_OUT], *out;
    size_t len, out_len;
    const char *s;
    int pad = 1;

    lua_settop(L, 2); /* the text of argument 1 goes above both */
    s = loose_string(L, 1, &len);
    if (lua_toboolean(L, 2)) {
        if (lua_type(L, 2) != LUA_TBOOLEAN)
            return luaL_error(L, "bad no_padding: boolean expected, got %s",
                              luaL_typename(L, 2));
        pad = 0;
    }
    out_len = codec_b64_encoded_len(len, pad);
    if (out_len == 0 && len > 0)
        return luaL_error(L, "not enough memory");
    out = out_buffer(L, small, out_len);
    out_len = codec_b64_encode((const unsigned char *)s, len, out, pad);
    lua_pushlstring(L, out, out_len);
    return 1;
}

static int codec_decode_base64(lua_State *L)
{
    char small[SMALL_OUT], *out;
    size_t len, out_len;
    const char *s;

    if (lua_type(L, 1) != LUA_TSTRING)
        return luaL_error(L, "string argument only");
    s = lua_tolstring(L, 1, &len);
    out = out_buffer(L, small, codec_b64_decoded_max(len));
    if (codec_b64_decode(s, len, (unsigned char *)out, &out_len) != 0)
        lua_pushnil(L);
    else
        lua_pushlstring(L, out, out_len);
    return 1;
}

/* The MD5 digest of the first argument (a string, or what ngx_lua turns
 * into one), into md. */
static void md5_of_arg(lua_State *L, unsigned char md[CODEC_MD5_LEN])
{
    size_t len;
    const char *s = loose_string(L, 1, &len);

    if (codec_md5(s, len, md) != 0)
        luaL_error(L, "not enough memory");
}

static int codec_md5_bin(lua_State *L)
{
    unsigned char md[CODEC_MD5_LEN];

    md5_of_arg(L, md);
    lua_pushlstring(L, (const char *)md, sizeof md);
    return 1;
}

static int codec_md5_hex(lua_State *L)
{
    unsigned char md[CODEC_MD5_LEN];
    char hex[2 * CODEC_MD5_LEN];

    md5_of_arg(L, md);
    codec_hex(md, sizeof md, hex);
    lua_pushlstring(L, hex, sizeof hex);
    return 1;
}

static int codec_sha1_bin(lua_State *L)
{
    unsigned char md[CODEC_SHA1_LEN];
    size_t len;
    const char *s = loose_string(L, 1, &len);

    if (codec_sha1(s, len, md) != 0)
        return luaL_error(L, "not enough memory");
    lua_pushlstring(L, (const char *)md, sizeof md);
    return 1;
}

static int codec_hmac(lua_State *L)
{
    unsigned char md[CODEC_SHA1_LEN];
    size_t key_len, len;
    const char *key, *s;
    int n = lua_gettop(L);

    if (n != 2)
        return luaL_error(L, "expecting 2 arguments, but got %d", n);
    key = strict_string(L, 1, &key_len);
    s = strict_string(L, 2, &len);
    if (codec_hmac_sha1(key, key_len, s, len, md) != 0)
        return luaL_error(L, "not enough memory");
    lua_pushlstring(L, (const char *)md, sizeof md);
    return 1;
}

/* crc32_short and crc32_long differ in nginx only in how they walk the
 * bytes; the value is the same */
static int codec_crc32_any(lua_State *L)
{
    size_t len;
    const char *s = loose_string(L, 1, &len);

    push_u32(L, codec_crc32(s, len));
    return 1;
}

static const luaL_Reg codec_funcs[] = {
    {"encode_base64", codec_encode_base64},
    {"decode_base64", codec_decode_base64},
    {"md5", codec_md5_hex},
    {"md5_bin", codec_md5_bin},
    {"sha1_bin", codec_sha1_bin},
    {"hmac_sha1", codec_hmac},
    {"crc32_short", codec_crc32_any},
    {"crc32_long", codec_crc32_any},
    {NULL, NULL},
};

int codec_open(lua_State *L)
{
    lua_newtable(L);
    compat_setfuncs(L, codec_funcs, 0);
    return 1;
}
