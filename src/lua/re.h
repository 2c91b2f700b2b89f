/* ngx.re for plain Lua: match, find, gmatch, sub and gsub on PCRE2. */
#ifndef LRLS_RE_H
#define LRLS_RE_H

#include <lua.h>

/* Pushes the table {match, find, gmatch, sub, gsub}. */
int re_open(lua_State *L);

#endif
