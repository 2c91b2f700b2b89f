/* ngx's encoders and digests (not written yet: an empty table). */
#include "lua/codec.h"

int codec_open(lua_State *L)
{
    lua_newtable(L);
    return 1;
}
