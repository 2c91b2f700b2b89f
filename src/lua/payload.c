#include "lua/payload.h"
#include "lua/compat.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* Numbers print as ngx_lua prints them, whatever the interpreter: whole
 * 32-bit values as integers, everything else with 14 significant digits. */
static size_t format_number(lua_State *L, int idx, char *out, size_t cap)
{
    lua_Number v = lua_tonumber(L, idx);
    int n;
    if (v >= -2147483648.0 && v <= 2147483647.0 && v == (lua_Number)(int)v)
        n = snprintf(out, cap, "%d", (int)v);
    else
        n = snprintf(out, cap, "%.14g", (double)v);
    return n > 0 ? (size_t)n : 0;
}



/* Nesting deeper than this is taken for a cycle, as the Lua stack limit
 * makes ngx_lua do, long before the C stack is at risk. */
#define SEND_MAX_DEPTH 1000

/* Size of what a send() of the table at idx would write, raising ngx_lua's
 * errors for what it cannot hold. */
static size_t table_size(lua_State *L, int idx, int depth)
{
    size_t size = 0;
    int max = 0, i;

    if (depth > SEND_MAX_DEPTH || !lua_checkstack(L, 4)) {
        lua_pushliteral(L, "stack overflow");
        lua_error(L);
    }

    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        lua_Number k;
        if (lua_type(L, -2) != LUA_TNUMBER)
            luaL_argerror(L, 2, "non-array table found");
        k = lua_tonumber(L, -2);
        /* no cast of a key out of int's range (undefined behaviour: a key
         * of 2^31 once made max negative and the copy overran the buffer);
         * such a key leaves holes below it, reported as nil further down */
        if (k > INT_MAX) {
            max = INT_MAX;
        } else {
            if (k < 1 || k != (lua_Number)(int)k)
                luaL_argerror(L, 2, "non-array table found");
            if (k > max)
                max = (int)k;
        }
        lua_pop(L, 1);
    }
    for (i = 1; i <= max; i++) {
        char num[PAYLOAD_NUM_MAX];
        size_t len;
        lua_rawgeti(L, idx, i);
        switch (lua_type(L, -1)) {
        case LUA_TSTRING:
            lua_tolstring(L, -1, &len);
            size += len;
            break;
        case LUA_TNUMBER:
            size += format_number(L, -1, num, sizeof num);
            break;
        case LUA_TTABLE:
            size += table_size(L, lua_gettop(L), depth + 1);
            break;
        default:
            luaL_argerror(L, 2, lua_pushfstring(L, "bad data type %s found",
                                                luaL_typename(L, -1)));
        }
        lua_pop(L, 1);
    }
    return size;
}

/* Copies the (already checked) table at idx into out; returns the end. */
static char *table_copy(lua_State *L, int idx, char *out)
{
    int i, max = (int)compat_rawlen(L, idx);
    const char *s;
    size_t len;

    /* table_size proved the keys are 1..max with no holes, so the border
     * rawlen gives is that max */
    for (i = 1; i <= max; i++) {
        lua_rawgeti(L, idx, i);
        if (lua_type(L, -1) == LUA_TTABLE) {
            out = table_copy(L, lua_gettop(L), out);
        } else if (lua_type(L, -1) == LUA_TNUMBER) {
            out += format_number(L, -1, out, PAYLOAD_NUM_MAX);
        } else {
            s = lua_tolstring(L, -1, &len);
            memcpy(out, s, len);
            out += len;
        }
        lua_pop(L, 1);
    }
    return out;
}

void payload_check(lua_State *L, int idx, payload_t *p)
{
    p->data = NULL;
    p->len = 0;
    switch (lua_type(L, idx)) {
    case LUA_TSTRING:
        p->data = lua_tolstring(L, idx, &p->len);
        break;
    case LUA_TNUMBER:
        p->len = format_number(L, idx, p->num, sizeof p->num);
        p->data = p->num;
        break;
    case LUA_TNIL:
        p->data = "nil";
        p->len = 3;
        break;
    case LUA_TBOOLEAN:
        p->data = lua_toboolean(L, idx) ? "true" : "false";
        p->len = strlen(p->data);
        break;
    case LUA_TTABLE:
        p->len = table_size(L, idx, 0);
        break;
    default:
        luaL_argerror(L, idx, lua_pushfstring(L,
                      "string, number, boolean, nil, or array table "
                      "expected, got %s", luaL_typename(L, idx)));
    }
}

size_t payload_flatten(lua_State *L, int idx, char *out)
{
    return (size_t)(table_copy(L, idx, out) - out);
}
