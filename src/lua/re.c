/* ngx.re on PCRE2 (not written yet: an empty table). */
#include "lua/re.h"

int re_open(lua_State *L)
{
    lua_newtable(L);
    return 1;
}
