/* What a Lua state sets for all its native sockets, in one object: the
 * clock hook, the read sizes of new sockets, the keepalive pools and the
 * TLS context; and the two shapes of a failed call's results. No OpenSSL
 * here: udp.c uses it too. */
#ifndef LRLS_STATE_H
#define LRLS_STATE_H

#include "core/buf.h"

#include <lua.h>
#include <stddef.h>

struct pool_set;

typedef struct {
    /* a clock hook is set: every socket points here, so that a method
     * tests a flag instead of looking the hook up (two registry reads per
     * round trip were a tenth of its instructions) */
    int hooked;
    size_t chunk; /* the read size of new sockets (set_buffer_size) */
    size_t max;   /* what one call of new sockets may hold (set_max_buffer) */
    /* the keepalive pools (core/pool.h), inside this object, so that a
     * finalizer that runs after the state's own still finds them closed */
    struct pool_set *pools;
    /* the TLS context (a tls_ctx_t of the C heap: core/tls.h), NULL until
     * tcp_tls.c makes one; lstate_set_tls replaces it */
    void *tls;
    /* the read buffer a socket gave back, for the next socket's first
     * read (every socket's rbuf_t.spare) */
    rbuf_spare_t spare;
} lstate_t;

/* The state's object, made on first use (one registry read after that). */
lstate_t *lstate(lua_State *L);

/* Makes ctx (a tls_ctx_t of the C heap, or NULL) the state's TLS context,
 * freeing the one before; the state frees the last when it closes. */
void lstate_set_tls(lua_State *L, void *ctx);

/* Makes the value at idx (a function, or nil) the hook called after every
 * method that waited. */
void lstate_set_clock_hook(lua_State *L, int idx);
/* Calls that hook, after a method waited: the embedding (nginx:
 * ngx.update_time) learns that time passed. Results already pushed stay. */
void lstate_after_wait(lua_State *L);

/* Raises count_error (a format with one %d: the count) unless the method
 * was called with `want` arguments, the object included: ngx_lua's check,
 * worded as each method words it. */
void check_count(lua_State *L, int want, const char *count_error);

/* bind()'s address, the string at idx, or NULL when it holds a NUL byte:
 * cut there, it would bind what nginx's parser, seeing it all, refuses
 * (keeping the address bound before, as nginx does). */
const char *bind_address(lua_State *L, int idx);

/* Pushes nil and the text of an error status (core/err.h); returns 2. */
int push_error(lua_State *L, int rc);
/* Pushes nil and msg; returns 2. */
int push_fail(lua_State *L, const char *msg);
/* Pushes s with each NUL byte written as the two characters \0, for
 * messages that show a string the caller passed. */
void push_visible(lua_State *L, const char *s, size_t len);
/* Pushes nil and the error of connect or setpeername for a host that holds
 * a NUL byte; returns 2. */
int push_nul_host(lua_State *L, const char *host, size_t len);

/* ngx_lua's default for the timeouts (lua_socket_*_timeout) */
#define DEFAULT_TIMEOUT_MS 60000

#endif
