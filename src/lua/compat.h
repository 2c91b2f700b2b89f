/* The few places where Lua 5.1/LuaJIT, 5.2, 5.3 and 5.4 differ for us. */
#ifndef LRLS_COMPAT_H
#define LRLS_COMPAT_H

#include <lauxlib.h>
#include <lua.h>

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

/* A number truncated toward zero, as ngx_lua reads integer arguments on
 * LuaJIT (where 5.3+'s lua_tointeger would refuse 5.7). Like the x86
 * conversion LuaJIT relies on, NaN and values out of the 64-bit range
 * become the most negative integer, which every caller rejects as negative.
 * Non-numbers are 0. */
static inline long long compat_trunc(lua_State *L, int idx)
{
    lua_Number n = lua_tonumber(L, idx);
    if (!(n > -9223372036854775808.0 && n < 9223372036854775808.0))
        return (-9223372036854775807LL - 1);
    return (long long)n;
}

#endif
