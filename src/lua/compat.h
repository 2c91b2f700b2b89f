/* The few places where Lua 5.1/LuaJIT, 5.2, 5.3 and 5.4 differ for us. */
#ifndef LRLS_COMPAT_H
#define LRLS_COMPAT_H

#include <lauxlib.h>
#include <lua.h>

#include <math.h>
#include <string.h>
#include <strings.h>

#if LUA_VERSION_NUM == 501
#define compat_rawlen(L, i) lua_objlen((L), (i))
#else
#define compat_rawlen(L, i) lua_rawlen((L), (i))
#endif

/* luaL_setfuncs, which PUC 5.1 lacks: registers l into the table on top of
 * the stack, each function sharing the nup values below that table. */
static inline void compat_setfuncs(lua_State *L, const luaL_Reg *l, int nup)
{
    for (; l->name != NULL; l++) {
        int i;
        for (i = 0; i < nup; i++)
            lua_pushvalue(L, -nup);
        lua_pushcclosure(L, l->func, nup);
        lua_setfield(L, -(nup + 2), l->name);
    }
    lua_pop(L, nup);
}

/* luaL_testudata, which PUC 5.1 lacks: the userdata at idx if it has the
 * metatable registered as tname, else NULL. */
static inline void *compat_testudata(lua_State *L, int idx, const char *tname)
{
    void *p = lua_touserdata(L, idx);
    int same;
    if (p == NULL || !lua_getmetatable(L, idx))
        return NULL;
    luaL_getmetatable(L, tname);
    same = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    return same ? p : NULL;
}

/* An argument type error in LuaJIT's words, as ngx_lua raises it: the
 * plain type name, where Lua 5.3+ would say "light userdata" or use a
 * metatable's __name (FILE*, our own socket types). */
static inline int compat_typeerror(lua_State *L, int idx, const char *want)
{
    return luaL_argerror(L, idx, lua_pushfstring(L, "%s expected, got %s",
                                                 want, luaL_typename(L, idx)));
}

/* luaL_checklstring raising compat_typeerror. */
static inline const char *compat_checklstring(lua_State *L, int idx,
                                              size_t *len)
{
    int t = lua_type(L, idx);
    if (t != LUA_TSTRING && t != LUA_TNUMBER)
        compat_typeerror(L, idx, "string");
    return lua_tolstring(L, idx, len);
}

/* "inf", "infinity" and "nan" (any case, signed, spaced), which LuaJIT and
 * Lua 5.1/5.2 read as numbers and Lua 5.3+ do not; 1 when s is one. */
static inline int compat_str2special(const char *s, lua_Number *out)
{
    int neg = 0;
    size_t n;
    while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
        s++;
    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    if (strncasecmp(s, "infinity", 8) == 0)
        n = 8, *out = (lua_Number)HUGE_VAL;
    else if (strncasecmp(s, "inf", 3) == 0)
        n = 3, *out = (lua_Number)HUGE_VAL;
    else if (strncasecmp(s, "nan", 3) == 0)
        n = 3, *out = (lua_Number)NAN;
    else
        return 0;
    for (s += n; *s == ' ' || (*s >= '\t' && *s <= '\r'); s++)
        ;
    if (*s != '\0')
        return 0;
    if (neg)
        *out = -*out;
    return 1;
}

/* lua_isnumber and lua_tonumber as ngx_lua's LuaJIT reads arguments. */
static inline int compat_isnumber(lua_State *L, int idx)
{
    lua_Number n;
    return lua_isnumber(L, idx)
           || (lua_type(L, idx) == LUA_TSTRING
               && compat_str2special(lua_tostring(L, idx), &n));
}

static inline lua_Number compat_tonumber(lua_State *L, int idx)
{
    lua_Number n;
    if (lua_isnumber(L, idx))
        return lua_tonumber(L, idx);
    if (lua_type(L, idx) == LUA_TSTRING
        && compat_str2special(lua_tostring(L, idx), &n))
        return n;
    return 0;
}

/* A number truncated toward zero, as ngx_lua reads integer arguments on
 * LuaJIT (where 5.3+'s lua_tointeger would refuse 5.7). Like the x86
 * conversion LuaJIT relies on, NaN and values out of the 64-bit range
 * become the most negative integer, which every caller rejects as negative.
 * Non-numbers are 0. compat_trunc_number converts a number already read
 * (the FFI path passes one). */
static inline long long compat_trunc_number(lua_Number n)
{
    if (!(n > -9223372036854775808.0 && n < 9223372036854775808.0))
        return (-9223372036854775807LL - 1);
    return (long long)n;
}

static inline long long compat_trunc(lua_State *L, int idx)
{
    return compat_trunc_number(compat_tonumber(L, idx));
}

#endif
