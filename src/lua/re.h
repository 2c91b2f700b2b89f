/* ngx.re for plain Lua: match, find, gmatch, sub and gsub on PCRE2. */
#ifndef LRLS_RE_H
#define LRLS_RE_H

#include <lua.h>

/* Pushes the table {match, find, gmatch, sub, gsub} of ngx.re, with the
 * `o` cache's knobs (set_cache_max_entries, cache_entries, cached) and
 * `jit` (whether PCRE2 can JIT-compile) beside them. */
int re_open(lua_State *L);

#endif
