/* LuaJIT's bit module for the other interpreters (not written yet). */
#include "lua/bitop.h"

int bitop_open(lua_State *L)
{
    lua_newtable(L);
    return 1;
}
