/* What send() accepts, converted as ngx_lua converts it: strings, numbers,
 * booleans, nil, and (nested) array tables of strings and numbers. */
#ifndef LRLS_PAYLOAD_H
#define LRLS_PAYLOAD_H

#include <lua.h>
#include <stddef.h>

#define PAYLOAD_NUM_MAX 32

typedef struct {
    const char *data; /* NULL for a table: flatten it with payload_flatten */
    size_t len;       /* for a table, the length it flattens to */
    char num[PAYLOAD_NUM_MAX];
} payload_t;

/* Reads argument idx, raising ngx_lua's argument errors for what send()
 * refuses (the function name comes from the call, as luaL_argerror does). */
void payload_check(lua_State *L, int idx, payload_t *p);

/* Writes the table at idx (already checked) into out, which must hold
 * p->len + PAYLOAD_NUM_MAX bytes; returns the length written. */
size_t payload_flatten(lua_State *L, int idx, char *out);

#endif
