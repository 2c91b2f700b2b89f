/* The native TCP socket type, shared by the files that implement its
 * methods: tcp.c (connect, I/O, pool, options) and tcp_tls.c (TLS). */
#ifndef LRLS_TCP_H
#define LRLS_TCP_H

#include "core/conn.h"
#include "core/pool.h"
#include "core/tls.h"
#include "lua/state.h"

#include <lauxlib.h>
#include <lua.h>

#define TCP_MT "resty.luasocket.tcp"

typedef struct {
    const void *self; /* its own address, with tcp_magic: see tcp_check */
    const char *magic;
    conn_t c;
    long connect_timeout, send_timeout, read_timeout; /* ms; 0 = default */
    int created;    /* connect() was called at least once */
    int reused;     /* times the connection came out of the pool */
    pool_t *pool;   /* the pool counting this connection, if any */
    char *key;      /* the pool name of the last connect */
    size_t keylen;
    tls_cert_t client; /* setclientcert's certificate, if any */
    X509_STORE *trusted; /* settrustedstore's CAs, for the next handshake */
    /* the Lua state's settings and pools: a socket method reads them
     * here, not with a registry lookup (lstate) per call */
    lstate_t *st;
    /* why the last sslhandshake failed, in OpenSSL's words where it has
     * some ("" or NULL when it did not): the returned error stays
     * ngx_lua's, this is for logs (getsslerror). TCP_SSL_ERROR_SIZE
     * bytes, allocated by the first sslhandshake: every socket is a
     * userdata the collector pays for by the byte, most never use TLS. */
    char *ssl_error;
    /* the outcome of an FFI receive or send that tcp_ffi.c hands to its
     * C finisher: the status and the span (receive) or bytes sent */
    int ffi_rc;
    conn_span_t ffi_span;
    size_t ffi_sent;
} tcp_t;

/* Whether the socket holds a connection. */
static inline int tcp_connected(const tcp_t *t)
{
    return t->c.fd >= 0;
}
/* No connection, or one whose both sides ended: what close and
 * getreusedtimes answer nil, "closed" for. */
static inline int tcp_closed(const tcp_t *t)
{
    return !tcp_connected(t) || (t->c.read_done && t->c.write_done);
}
/* receiveany's max, a number as ngx_lua reads it (truncated): 0 for one
 * that raises "bad max argument" (below 1, NaN). */
size_t tcp_any_max(lua_Number n);
/* A timeout, a number of ms as ngx_lua reads it (truncated; 0 is the
 * default): -1 for one that raises "bad timeout value" (negative, 2^31
 * and above, NaN). */
long tcp_timeout_ms(lua_Number n);
/* What settimeouts sets (settimeout: the same value three times). */
void tcp_set_timeouts(tcp_t *t, long connect_ms, long send_ms, long read_ms);
/* Pushes a read's outcome as ngx_lua does (the data, or nil, err, partial),
 * consumes the span and calls the clock hook when the read waited;
 * returns the number of values pushed. */
int tcp_push_read(lua_State *L, tcp_t *t, int rc, conn_span_t *span);
/* Pushes a send's outcome as ngx_lua does (the bytes sent, or nil, err,
 * logged) and calls the clock hook; returns the number of values pushed. */
int tcp_push_sent(lua_State *L, tcp_t *t, int rc, size_t sent);
/* The entry points of the LuaJIT FFI path (tcp_ffi.c), as a light
 * userdata, and the C functions that end a read or send it left over. */
void tcp_ffi_push(lua_State *L);

/* A receiveuntil iterator's state (the iterator's second upvalue). */
typedef struct {
    until_t *m;
    conn_until_t at; /* where the search is: no byte is scanned twice */
    int inclusive;
    int ended; /* a sized read reached the pattern: next call says nil */
} tcp_until_t;
/* Pushes the state of the receiveuntil iterator at idx, or nil when the
 * value there is not one. */
void tcp_push_until_state(lua_State *L, int idx);

/* Registers the socket's metatables in the registry. */
void tcp_open(lua_State *L);
/* Pushes a new, unconnected socket of the state whose object st is; mt:
 * the index of the socket metatable (TCP_MT). */
int tcp_new(lua_State *L, lstate_t *st, int mt);
/* Sets the read size of the sockets made from now on (the number at idx,
 * RBUF_CHUNK_MIN to RBUF_CHUNK_MAX bytes; else raises). */
void tcp_set_buffer_size(lua_State *L, int idx);
/* Sets what one read of the sockets made from now on may hold (the number
 * at idx, RBUF_MAX_MIN bytes to 2^53; else raises). */
void tcp_set_max_buffer(lua_State *L, int idx);
/* lstate_after_wait for a socket's method, cheaper when no hook is set. */
#define TCP_AFTER_WAIT(L, t) \
    do { if ((t)->st->hooked) lstate_after_wait(L); } while (0)

/* For the methods' implementations. */
tcp_t *tcp_check(lua_State *L);

/* connect's first step, the same for tcp.c and the FFI: the socket lets
 * go of what it held and takes the pool name key[0..len), then the idle
 * connection its pool has, if any. 1: taken, the socket is connected; 0:
 * none (*pool: the pool, or NULL when there is none yet); -1: no memory
 * for the name. */
int tcp_connect_take(tcp_t *t, const char *key, size_t len, pool_t **pool);
/* The pool name ngx_lua makes of host and an integer port, host:port, in
 * buf[0..size): its length, or 0 when it does not fit or the port is not
 * an integer of up to 14 digits (other numbers: push_key_part's %.14g). */
size_t tcp_port_key(char *buf, size_t size, const char *host, size_t len,
                    double port);
#define TCP_KEY_INLINE 256

/* setkeepalive's outcomes, once its arguments are read */
enum {
    TCP_KEPT,        /* pooled (or, with no pools, closed): 1 */
    TCP_KEEP_CLOSED, /* nil, "closed" */
    TCP_KEEP_UNREAD, /* nil, "unread data in buffer" */
    TCP_KEEP_DUBIOUS, /* the peer wrote while we did not read: the caller
                       * closes, nil, "connection in dubious state" */
    TCP_KEEP_BAD_SIZE, /* a new pool's size below 1: raise */
    TCP_KEEP_NOMEM,  /* no pool: raise "no memory", nothing changed */
    TCP_KEEP_LOST    /* no memory for the idle item: the connection is
                      * closed; raise "no memory" */
};
/* setkeepalive's work, the same for tcp.c and the FFI (timeout in ms,
 * size: the pool's size if it is made now). Only TCP_KEPT and
 * TCP_KEEP_LOST change anything. */
int tcp_keepalive(tcp_t *t, long long timeout, long long size);

#define TCP_SSL_ERROR_SIZE 256

/* ngx_lua's defaults (lua_socket_keepalive_timeout, lua_socket_pool_size;
 * the timeouts' is state.h's) */
#define DEFAULT_KEEPALIVE_MS 60000
#define DEFAULT_POOL_SIZE 30

/* A timeout as the socket applies it: 0 (never set) is the default. */
static inline long tcp_effective(long timeout_ms)
{
    return timeout_ms > 0 ? timeout_ms : DEFAULT_TIMEOUT_MS;
}

/* A read's deadline, lazy (io.h): a read served from the buffer reads no
 * clock. */
static inline io_ms tcp_read_deadline(const tcp_t *t)
{
    return io_deadline_lazy(tcp_effective(t->read_timeout));
}
/* No connection, or one whose read or write side ended: for the methods
 * that need both sides (sslhandshake, settrustedstore, setkeepalive). */
static inline int tcp_half_closed(const tcp_t *t)
{
    return t->c.fd < 0 || t->c.read_done || t->c.write_done;
}
/* Closes the socket's connection, if any, and lets its pool know. */
void tcp_release(tcp_t *t);

/* tcp_tls.c */
void tcp_tls_open(lua_State *L);
/* Applies new library-wide TLS defaults (the table at idx): pushes true,
 * or nil and why; returns the number of results. */
int tcp_tls_set_defaults(lua_State *L, int idx);
/* The TLS methods (sslhandshake, tlshandshake, getsslsession,
 * setclientcert, settrustedstore, getpeercert, getsslerror). */
extern const luaL_Reg tcp_tls_methods[];

#endif
