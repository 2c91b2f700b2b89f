/* The native socket's hottest methods for LuaJIT's FFI: receive, send,
 * the receiveuntil iterator and receiveany, which move the data, and
 * settimeout, settimeouts and getreusedtimes, which clients call around
 * every request (a timeout per call, a pool check per connect). They
 * reach the same core calls and tcp.c helpers as tcp.c's methods, through
 * calls the JIT compiles: a lua_CFunction ends the trace that calls it,
 * so one classic call in a loop of FFI calls would still cut the loop.
 * lib/resty/luasocket/fast.lua holds the Lua side; luaopen installs it
 * under LuaJIT.
 *
 * The split: the FFI side takes only well-formed calls (fast.lua checks
 * the argument count and types and that self is a native socket, and the
 * entry points read numbers with tcp.c's own conversions, declining any
 * value tcp.c refuses or treats apart; everything else goes to tcp.c's
 * methods, which raise ngx_lua's errors). A call here either
 * completes the common case (data or bytes sent, nothing else to do), or
 * leaves its outcome in the socket for a C finisher that pushes it as
 * tcp.c does (errors, logging, big strings made under protection, the
 * clock hook), or declines before doing anything. One implementation of
 * every outcome: the finishers are tcp.c's own code. */
#include "lua/compat.h"
#include "lua/tcp.h"

#include "core/conn.h"
#include "core/err.h"

/* what an FFI call tells fast.lua */
enum {
    FFI_DONE = 0,    /* the result is in *p, *n (reads), *sent or *times,
                        or there is none (settimeouts) */
    FFI_FINISH = 1,  /* call the finisher: the outcome waits in the socket */
    FFI_CLASSIC = 2, /* nothing done: call the tcp.c method */
    FFI_ENDED = 3    /* an iterator after its sized call found the pattern:
                        nil, nil, nil, as tcp.c's says */
};

/* Strings from this size on are made by the finisher, under protection
 * (tcp.c's push_span): ffi.string would raise where ngx_lua returns
 * nil, "no memory". */
#define FFI_STRING_MAX (64 * 1024)

/* fast.lua declares the same struct (lrls_tcp_ffi_api_t): change both */
typedef struct {
    int (*receive)(void *ud, int kind, double size, const char **p,
                   size_t *n);
    int (*send)(void *ud, const char *p, size_t n, size_t *sent);
    int (*until)(void *ud, void *state, double size, const char **p,
                 size_t *n);
    int (*receiveany)(void *ud, double max, const char **p, size_t *n);
    int (*settimeouts)(void *ud, double connect_ms, double send_ms,
                       double read_ms);
    int (*getreusedtimes)(void *ud, size_t *times);
    int (*connect)(void *ud, const char *host, size_t len, double port);
    int (*setkeepalive)(void *ud, double timeout, double size);
    void (*renew)(void *ud);
} tcp_ffi_api_t;

/* Ends a read: FFI_DONE with the bytes in *p, *n, or FFI_FINISH. The
 * bytes are consumed before fast.lua makes its string of them, which
 * saves a second FFI call per read: consuming moves the buffer's offsets
 * and nothing else, and the bytes stay where they are until the next read
 * into the buffer, which cannot come before ffi.string returns. A buffer
 * that consuming would shrink (rbuf_trim: realloc) goes to the finisher. */
static inline int ffi_read_done(tcp_t *t, const char **p, size_t *n)
{
    if (t->ffi_rc != ERR_OK || t->ffi_span.n >= FFI_STRING_MAX
        || (t->c.did_read && t->st->hooked) || rbuf_oversized(&t->c.rb))
        return FFI_FINISH;
    t->c.did_read = 0;
    *p = t->ffi_span.p != NULL ? t->ffi_span.p : "";
    *n = t->ffi_span.n;
    rbuf_consume(&t->c.rb, t->ffi_span.consume);
    return FFI_DONE;
}

#if defined(__GNUC__)
#define FFI_NOINLINE __attribute__((noinline))
#else
#define FFI_NOINLINE
#endif

/* ffi_receive when the read is not a short buffered line. Never inlined:
 * its calls would make ffi_receive save registers on every read. */
static FFI_NOINLINE int ffi_receive_read(tcp_t *t, int kind, double size,
                                         const char **p, size_t *n)
{
    io_ms deadline;
    int rc;

    if (!tcp_connected(t) || t->c.read_done)
        return FFI_CLASSIC;
    deadline = tcp_read_deadline(t);
    if (kind == 0) /* ffi_receive tried conn_short_line */
        rc = conn_recv_line_from(&t->c, 0, deadline, &t->ffi_span);
    else if (kind == 1)
        rc = conn_recv_all(&t->c, deadline, &t->ffi_span);
    else
        rc = conn_recv_size(&t->c, (size_t)size, deadline, &t->ffi_span);
    t->ffi_rc = rc;
    return ffi_read_done(t, p, n);
}

/* kind: 0 a line, 1 everything, 2 `size` bytes (an integer >= 1). A short
 * line already buffered (conn_short_line, conn_recv_line's own first
 * step) is answered here with no call at all: the read of a stream of
 * lines or of a reply's header lines. */
static int ffi_receive(void *ud, int kind, double size, const char **p,
                       size_t *n)
{
    tcp_t *t = ud;
    conn_span_t line;

    /* (what ffi_read_done checks besides cannot be the case: no read ran,
     * and the line is far shorter than FFI_STRING_MAX) */
    if (kind == 0 && !rbuf_oversized(&t->c.rb)
        && conn_short_line(&t->c, &line)) {
        *p = line.p;
        *n = line.n;
        rbuf_consume(&t->c.rb, line.consume);
        return FFI_DONE;
    }
    return ffi_receive_read(t, kind, size, p, n);
}

/* One call of a receiveuntil iterator of this socket; size 0 is unsized.
 * An iterator whose matcher a finalizer freed is tcp.c's to answer. */
static int ffi_until(void *ud, void *state, double size, const char **p,
                     size_t *n)
{
    tcp_t *t = ud;
    tcp_until_t *u = state;
    int found;

    if (!tcp_connected(t) || t->c.read_done || u->m == NULL)
        return FFI_CLASSIC;
    if (u->ended) {
        u->ended = 0;
        return FFI_ENDED;
    }
    t->ffi_rc = conn_recv_until(&t->c, u->m, &u->at, u->inclusive,
                                (size_t)size, tcp_read_deadline(t),
                                &t->ffi_span, &found);
    if (t->ffi_rc == ERR_OK && found && size > 0)
        u->ended = 1;
    return ffi_read_done(t, p, n);
}

/* max: any number; one receiveany refuses is tcp.c's to raise about. */
static int ffi_receiveany(void *ud, double max, const char **p, size_t *n)
{
    tcp_t *t = ud;
    size_t m;

    if (!tcp_connected(t) || t->c.read_done || (m = tcp_any_max(max)) == 0)
        return FFI_CLASSIC;
    t->ffi_rc = conn_recv_any(&t->c, m, tcp_read_deadline(t), &t->ffi_span);
    return ffi_read_done(t, p, n);
}

/* settimeouts(c, s, r), and settimeout(ms) as (ms, ms, ms). Nothing is set
 * unless tcp.c would take all three: it raises before it sets any. */
static int ffi_settimeouts(void *ud, double connect_ms, double send_ms,
                           double read_ms)
{
    long c = tcp_timeout_ms(connect_ms), s = tcp_timeout_ms(send_ms),
         r = tcp_timeout_ms(read_ms);

    if (c < 0 || s < 0 || r < 0)
        return FFI_CLASSIC;
    tcp_set_timeouts(ud, c, s, r);
    return FFI_DONE;
}

static int ffi_getreusedtimes(void *ud, size_t *times)
{
    const tcp_t *t = ud;

    if (tcp_closed(t))
        return FFI_CLASSIC;
    *times = (size_t)t->reused;
    return FFI_DONE;
}

static int ffi_send(void *ud, const char *p, size_t n, size_t *sent)
{
    tcp_t *t = ud;
    int rc;

    if (!tcp_connected(t) || t->c.write_done || n == 0)
        return FFI_CLASSIC;
    rc = conn_send(&t->c, p, n,
                   io_deadline_lazy(tcp_effective(t->send_timeout)),
                   &t->ffi_sent);
    t->ffi_rc = rc;
    if (rc != ERR_OK || t->st->hooked)
        return FFI_FINISH;
    *sent = t->ffi_sent;
    return FFI_DONE;
}

/* connect(host, port) with an integer port from 1 to 65535 (fast.lua
 * checks): done when the pool had an idle connection; else tcp.c connects,
 * doing again what this did (dropping the last connection, taking the
 * name, finding no idle one: no change the second time). */
static int ffi_connect(void *ud, const char *host, size_t len, double port)
{
    char key[TCP_KEY_INLINE];
    size_t n = tcp_port_key(key, sizeof key, host, len, port);
    pool_t *pool;

    if (n == 0 || tcp_connect_take(ud, key, n, &pool) != 1)
        return FFI_CLASSIC;
    return FFI_DONE;
}

/* setkeepalive(timeout, size), each a number or, when below 0, its
 * default (fast.lua passes -1 for nil; numbers below 0 are tcp.c's). Every
 * outcome but pooling changed nothing and is tcp.c's to give, except the
 * lost connection: the finisher raises for it. */
static int ffi_setkeepalive(void *ud, double timeout, double size)
{
    long long ms = timeout < 0 ? DEFAULT_KEEPALIVE_MS
                               : compat_trunc_number(timeout);
    long long n = size < 0 ? DEFAULT_POOL_SIZE : compat_trunc_number(size);

    switch (tcp_keepalive(ud, ms, n)) {
    case TCP_KEPT:
        return FFI_DONE;
    case TCP_KEEP_LOST:
        return FFI_FINISH;
    default:
        return FFI_CLASSIC;
    }
}

/* A socket made ahead (fast.lua's tcp()), as it is handed out: it takes
 * the read settings of the sockets made now, as if made now. Nothing else
 * of a new socket depends on when it was made. */
static void ffi_renew(void *ud)
{
    tcp_t *t = ud;

    t->c.rb.chunk = t->st->chunk;
    t->c.rb.max = t->st->max;
}

static const tcp_ffi_api_t tcp_ffi_api = {
    ffi_receive, ffi_send, ffi_until,
    ffi_receiveany, ffi_settimeouts, ffi_getreusedtimes,
    ffi_connect, ffi_setkeepalive, ffi_renew,
};

static int tcp_ffi_finish_receive(lua_State *L)
{
    tcp_t *t = tcp_check(L);
    return tcp_push_read(L, t, t->ffi_rc, &t->ffi_span);
}

static int tcp_ffi_finish_send(lua_State *L)
{
    tcp_t *t = tcp_check(L);
    return tcp_push_sent(L, t, t->ffi_rc, t->ffi_sent);
}

/* setkeepalive's one outcome the FFI cannot give: the connection is
 * gone for want of memory, which tcp.c raises as */
static int tcp_ffi_finish_keepalive(lua_State *L)
{
    return luaL_error(L, "no memory");
}

static int tcp_ffi_until_state(lua_State *L)
{
    tcp_push_until_state(L, 1);
    return 1;
}

void tcp_ffi_push(lua_State *L)
{
    lua_createtable(L, 0, 5);
    lua_pushcfunction(L, tcp_ffi_until_state);
    lua_setfield(L, -2, "until_state");
    lua_pushlightuserdata(L, (void *)&tcp_ffi_api);
    lua_setfield(L, -2, "api");
    lua_pushcfunction(L, tcp_ffi_finish_receive);
    lua_setfield(L, -2, "finish_receive");
    lua_pushcfunction(L, tcp_ffi_finish_send);
    lua_setfield(L, -2, "finish_send");
    lua_pushcfunction(L, tcp_ffi_finish_keepalive);
    lua_setfield(L, -2, "finish_keepalive");
}
