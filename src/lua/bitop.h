/* A stand-in for LuaJIT's `bit` module on the interpreters without it, for
 * the lua-resty modules that load() runs. */
#ifndef LRLS_BITOP_H
#define LRLS_BITOP_H

#include <lua.h>

/* Pushes the table {tobit, tohex, bnot, band, bor, bxor, lshift, rshift,
 * arshift, rol, ror, bswap}. */
int bitop_open(lua_State *L);

#endif
