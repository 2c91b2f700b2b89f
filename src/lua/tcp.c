/* The native TCP socket as a Lua userdata: argument checks and return values
 * as ngx_lua's cosocket gives them; the work itself is src/core/conn.c. */
#include "lua/tcp.h"
#include "lua/compat.h"
#include "lua/payload.h"
#include "lua/errlog.h"

#include "core/conn.h"
#include "core/pool.h"
#include "core/err.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define UNTIL_MT "resty.luasocket.tcp.until"

static const char tcp_magic[] = TCP_MT;

/* The socket at index 1, or NULL. A full userdata of our size that holds
 * its own address and the address of tcp_magic can only be one of ours:
 * Lua code cannot write either into memory. Two API calls instead of
 * luaL_checkudata's five (the metatable comparison was a quarter of a
 * round trip's instructions). */
static tcp_t *tcp_test(lua_State *L)
{
    tcp_t *t = lua_touserdata(L, 1);
    if (t != NULL && compat_rawlen(L, 1) == sizeof *t && t->self == t
        && t->magic == tcp_magic)
        return t;
    return NULL;
}

tcp_t *tcp_check(lua_State *L)
{
    tcp_t *t = tcp_test(L);
    if (t != NULL)
        return t;
    /* ngx_lua checks for a table (a cosocket is one); a table that is not
     * a socket is told what a native socket is */
    if (lua_type(L, 1) != LUA_TTABLE)
        compat_typeerror(L, 1, "table");
    return luaL_checkudata(L, 1, TCP_MT);
}

static int push_closed(lua_State *L)
{
    return push_error(L, ERR_CLOSED);
}

void tcp_set_buffer_size(lua_State *L, int idx)
{
    lua_Number n = luaL_checknumber(L, idx);

    if (!(n >= RBUF_CHUNK_MIN && n <= RBUF_CHUNK_MAX))
        luaL_argerror(L, idx, lua_pushfstring(L, "buffer size must be %d to %d bytes",
                                              RBUF_CHUNK_MIN, RBUF_CHUNK_MAX));
    lstate(L)->chunk = (size_t)n;
}

void tcp_set_max_buffer(lua_State *L, int idx)
{
    lua_Number n = luaL_checknumber(L, idx);

    /* 2^53: every integer up to it is a number in every Lua */
    if (!(n >= RBUF_MAX_MIN && n <= 9007199254740992.0))
        luaL_argerror(L, idx, lua_pushfstring(L, "max buffer must be %d "
                                              "bytes to 2^53", RBUF_MAX_MIN));
    lstate(L)->max = (double)(size_t)-1 < n ? (size_t)-1 : (size_t)n;
}

/* ---- connect ---------------------------------------------------------- */

/* The pool options of connect(). */
typedef struct {
    int pool_size; /* 0: not given */
    int backlog;   /* -1: not given */
} connect_opts_t;

/* Validates the options table at n as ngx_lua does, reads its pool
 * options, and leaves the pool name (or nil) on the stack. */
static void read_connect_opts(lua_State *L, int n, connect_opts_t *o)
{
    const char *msg;

    lua_getfield(L, n, "pool_size");
    if (compat_isnumber(L, -1)) {
        long long size = compat_trunc(L, -1);
        if (size <= 0) {
            msg = lua_pushfstring(L, "bad \"pool_size\" option value: %d",
                                  (int)size);
            luaL_argerror(L, n, msg);
        }
        o->pool_size = size > INT_MAX ? INT_MAX : (int)size;
    } else if (!lua_isnil(L, -1)) {
        msg = lua_pushfstring(L, "bad \"pool_size\" option type: %s",
                              luaL_typename(L, -1));
        luaL_argerror(L, n, msg);
    }
    lua_pop(L, 1);

    lua_getfield(L, n, "backlog");
    if (compat_isnumber(L, -1)) {
        long long backlog = compat_trunc(L, -1);
        if (backlog < 0) {
            msg = lua_pushfstring(L, "bad \"backlog\" option value: %d",
                                  (int)backlog);
            luaL_argerror(L, n, msg);
        }
        o->backlog = backlog > INT_MAX ? INT_MAX : (int)backlog;
        /* a backlog alone makes a pool of the default size */
        if (o->pool_size == 0)
            o->pool_size = DEFAULT_POOL_SIZE;
    }
    lua_pop(L, 1);

    lua_getfield(L, n, "pool");
    if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING
        && lua_type(L, -1) != LUA_TNUMBER) {
        msg = lua_pushfstring(L, "bad \"pool\" option type: %s",
                              luaL_typename(L, -1));
        luaL_argerror(L, n, msg);
    }
}

/* The state's pool set; `tidy` first closes what expired (and what a
 * parent process left), when there are pools at all. */
static pool_set_t *get_pool_set(const tcp_t *t, int tidy)
{
    pool_set_t *set = t->st->pools;

    /* a finalizer may connect while the state closes: no pools then */
    if (set->closed)
        return NULL;
    /* a forked child must claim the set before its first pool is made,
     * or the parent's mark would make the next tidy drop that pool's
     * first idle connection */
    if (tidy && set->pools != NULL)
        pool_set_tidy(set, io_now());
    else if (tidy)
        pool_set_claim(set);
    return set;
}

void tcp_release(tcp_t *t)
{
    conn_close(&t->c);
    if (t->pool != NULL) {
        pool_detach(t->pool);
        t->pool = NULL;
    }
}

/* An integer of up to 14 digits (not -0) written as LuaJIT's tostring
 * writes it, ending at `end`: the number of bytes, or 0 for any other
 * number. A port: every connect makes the name, and printf's
 * floating-point formatting costs more than the rest of a pooled connect. */
static size_t key_integer(double d, char *end)
{
    unsigned long long u;
    char *p = end;

    if (!(d > -1e14 && d < 1e14) || (double)(long long)d != d
        || (d == 0 && signbit(d)))
        return 0;
    u = d < 0 ? 0ULL - (unsigned long long)(long long)d
              : (unsigned long long)(long long)d;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (d < 0)
        *--p = '-';
    return (size_t)(end - p);
}

/* Pushes a pool name part: a string as it is, a number as LuaJIT's
 * tostring writes it (14 significant digits), whatever the interpreter. */
static void push_key_part(lua_State *L, int idx)
{
    char buf[64];
    size_t n;
    double d;

    if (lua_type(L, idx) != LUA_TNUMBER) {
        lua_pushvalue(L, idx);
        return;
    }
    d = (double)lua_tonumber(L, idx);
    n = key_integer(d, buf + sizeof buf);
    if (n > 0) {
        lua_pushlstring(L, buf + sizeof buf - n, n);
        return;
    }
    snprintf(buf, sizeof buf, "%.14g", d);
    lua_pushstring(L, buf);
}

size_t tcp_port_key(char *buf, size_t size, const char *host, size_t len,
                    double port)
{
    char digits[24];
    size_t n = key_integer(port, digits + sizeof digits);

    if (n == 0 || len >= size || size - len - 1 < n)
        return 0;
    memcpy(buf, host, len);
    buf[len] = ':';
    memcpy(buf + len + 1, digits + sizeof digits - n, n);
    return len + 1 + n;
}

/* Remembers the pool name this connection belongs to, for setkeepalive:
 * 0, or -1 when there is no memory for it. */
static int set_key(tcp_t *t, const char *key, size_t len)
{
    char *copy;

    /* the common case: connecting again to the same place */
    if (t->key != NULL && t->keylen == len && memcmp(t->key, key, len) == 0)
        return 0;
    copy = realloc(t->key, len + 1);
    if (copy == NULL)
        return -1;
    memcpy(copy, key, len);
    copy[len] = '\0';
    t->key = copy;
    t->keylen = len;
    return 0;
}

/* What ngx_lua logs when a connect fails: the peer as it was asked for. */
static void log_connect_failure(lua_State *L, int rc, const char *host,
                                int port)
{
    char peer[320];
    if (port > 0)
        snprintf(peer, sizeof peer, "%s:%d", host, port);
    else
        snprintf(peer, sizeof peer, "%s", host);
    errlog_socket(L, "tcp", "connect", rc, peer);
}

/* connect()'s arguments, once read. */
typedef struct {
    const char *host;
    size_t len;
    int port; /* 0: a unix path */
    connect_opts_t opts;
    const char *key; /* the pool name: in keybuf, or a string on the stack */
    size_t keylen;
    char keybuf[TCP_KEY_INLINE];
} connect_args_t;

/* Reads and checks connect()'s arguments as ngx_lua does (their count and
 * the socket are checked already), and makes the pool name: the caller's,
 * or host:port with the port argument as LuaJIT prints it (ngx_lua
 * concatenates the argument itself). Returns -1, or how many results it
 * pushed for a port it refuses. */
static int read_connect_args(lua_State *L, connect_args_t *a)
{
    int n = lua_gettop(L), has_opts = 0;

    a->host = compat_checklstring(L, 2, &a->len);
    if (lua_type(L, n) == LUA_TTABLE) {
        read_connect_opts(L, n, &a->opts); /* pushes the pool name */
        has_opts = 1;
        n--;
    }
    if (n == 4)
        n--;

    if (n == 3 && compat_isnumber(L, 3)) {
        /* ngx_lua keeps the low 32 bits before its range check */
        a->port = (int)(unsigned)(unsigned long long)compat_trunc(L, 3);
        if (a->port < 0 || a->port > 65535) {
            lua_pushnil(L);
            lua_pushfstring(L, "bad port number: %d", a->port);
            return 2;
        }
    } else if (!addr_is_unix(a->host)) {
        return push_fail(L, ERRSTR_NOPORT);
    }

    if (has_opts && !lua_isnil(L, -1)) {
        push_key_part(L, lua_gettop(L));
    } else if (n == 3 && compat_isnumber(L, 3)) {
        /* the usual name, made here: no Lua string for it */
        if (lua_type(L, 2) == LUA_TSTRING && lua_type(L, 3) == LUA_TNUMBER) {
            a->keylen = tcp_port_key(a->keybuf, sizeof a->keybuf, a->host,
                                     a->len, (double)lua_tonumber(L, 3));
            if (a->keylen > 0) {
                a->key = a->keybuf;
                return -1;
            }
        }
        lua_pushvalue(L, 2);
        lua_pushliteral(L, ":");
        push_key_part(L, 3);
        lua_concat(L, 3);
    } else {
        lua_pushvalue(L, 2);
    }
    a->key = lua_tolstring(L, -1, &a->keylen);
    return -1;
}

int tcp_connect_take(tcp_t *t, const char *key, size_t len, pool_t **pool)
{
    pool_set_t *set;
    pool_item_t *idle;

    *pool = NULL;
    tcp_release(t);
    if (set_key(t, key, len) != 0)
        return -1;
    t->created = 1;
    t->reused = 0;
    set = get_pool_set(t, 1);
    *pool = set != NULL ? pool_find(set, key, len) : NULL;
    idle = *pool != NULL ? pool_take(*pool) : NULL;
    if (idle == NULL)
        return 0;
    conn_adopt_link(&t->c, &idle->link, idle->peer);
    t->reused = idle->reused + 1;
    t->pool = *pool;
    pool_item_free(idle);
    return 1;
}

/* The rest of the pool's part of connect(), when its pool (found by
 * tcp_connect_take, or NULL) had no idle connection: it is made when
 * opts ask for it, and the socket takes a place among its connections,
 * queued or refused as its backlog says. Returns -1 when a new connection
 * is to be made, else how many results it pushed. */
static int connect_from_pool(lua_State *L, tcp_t *t, pool_t *pool,
                             const connect_opts_t *opts, io_ms deadline)
{
    pool_set_t *set;
    int rc;

    if (pool == NULL && opts->pool_size > 0
        && (set = get_pool_set(t, 0)) != NULL) {
        pool = pool_create(set, t->key, t->keylen, opts->pool_size,
                           opts->backlog);
        if (pool == NULL)
            return luaL_error(L, "no memory");
    }
    if (pool == NULL)
        return -1;
    pool_attach(pool);
    t->pool = pool;
    if (pool->backlog < 0)
        return -1;
    /* a backlog up to INT_MAX: no sum that overflows */
    if (pool->connections - pool->size > pool->backlog) {
        tcp_release(t);
        return push_fail(L, "too many waiting connect operations");
    }
    if (pool->connections > pool->size) {
        /* queued behind a full pool: nothing in this process can free a
         * connection meanwhile, so until the deadline */
        io_sleep_until(deadline);
        tcp_release(t);
        rc = push_error(L, ERR_TIMEOUT);
        TCP_AFTER_WAIT(L, t);
        return rc;
    }
    return -1;
}

/* A new connection to the host and port of a. */
static int connect_new(lua_State *L, tcp_t *t, const connect_args_t *a,
                       io_ms deadline)
{
    const char *msg;
    int rc, nret;

    if (memchr(a->host, '\0', a->len) != NULL) {
        tcp_release(t);
        return push_nul_host(L, a->host, a->len);
    }
    msg = addr_parse_error(a->host, a->len);
    if (msg != NULL) {
        tcp_release(t);
        lua_pushnil(L);
        lua_pushfstring(L, "failed to parse host name \"%s\": %s", a->host,
                        msg);
        return 2;
    }
    rc = conn_connect(&t->c, a->host, a->port, deadline);
    if (rc == ERR_OK) {
        lua_pushinteger(L, 1);
        nret = 1;
    } else {
        tcp_release(t);
        log_connect_failure(L, rc, a->host, a->port);
        if (err_resolve_reason(rc) != NULL) {
            lua_pushnil(L);
            lua_pushfstring(L, "%s could not be resolved (%s)", a->host,
                            err_resolve_reason(rc));
            nret = 2;
        } else {
            nret = push_error(L, rc);
        }
    }
    TCP_AFTER_WAIT(L, t);
    return nret;
}

static int tcp_connect(lua_State *L)
{
    connect_args_t a; /* keybuf: written by read_connect_args if used */
    tcp_t *t;
    pool_t *pool;
    io_ms deadline;
    int nret;

    a.host = NULL;
    a.len = 0;
    a.port = 0;
    a.opts.pool_size = 0;
    a.opts.backlog = -1;

    nret = lua_gettop(L);
    if (nret != 2 && nret != 3 && nret != 4)
        return luaL_error(L, "ngx.socket connect: expecting 2, 3, or 4 "
                          "arguments (including the object), but seen %d",
                          nret);
    t = tcp_check(L);
    nret = read_connect_args(L, &a);
    if (nret >= 0)
        return nret;
    switch (tcp_connect_take(t, a.key, a.keylen, &pool)) {
    case 1:
        lua_pushinteger(L, 1);
        return 1;
    case -1:
        return luaL_error(L, "no memory");
    }
    /* the deadline only now: a connection from the pool needs no clock */
    deadline = io_deadline(tcp_effective(t->connect_timeout));
    nret = connect_from_pool(L, t, pool, &a.opts, deadline);
    if (nret >= 0)
        return nret;
    return connect_new(L, t, &a, deadline);
}

static int tcp_bind(lua_State *L)
{
    tcp_t *t;
    const char *ip;

    check_count(L, 2, "expecting 2 arguments, but got %d");
    t = tcp_check(L);
    ip = bind_address(L, 2);
    if (ip == NULL)
        return push_fail(L, "bad address");
    switch (conn_bind(&t->c, ip)) {
    case ERR_OK:
        break;
    case ERR_NOMEM:
        return push_error(L, ERR_NOMEM);
    default:
        return push_fail(L, "bad address");
    }
    lua_pushboolean(L, 1);
    return 1;
}

/* ---- send ------------------------------------------------------------- */

int tcp_push_sent(lua_State *L, tcp_t *t, int rc, size_t sent)
{
    if (rc == ERR_OK) {
        lua_pushinteger(L, (lua_Integer)sent);
    } else {
        errlog_socket(L, "tcp", "send", rc, NULL);
        push_error(L, rc);
    }
    TCP_AFTER_WAIT(L, t);
    return rc == ERR_OK ? 1 : 2;
}

/* The socket of send and receiveany (the socket and one argument); NULL,
 * with nil, "closed" pushed, when the side they need (reading: the read
 * side, else the write side) is closed. */
static tcp_t *tcp_check_side(lua_State *L, int reading)
{
    tcp_t *t;

    check_count(L, 2, "expecting 2 arguments (including the object), "
                      "but got %d");
    t = tcp_check(L);
    if (tcp_connected(t) && !(reading ? t->c.read_done : t->c.write_done))
        return t;
    push_closed(L);
    return NULL;
}

static int tcp_send(lua_State *L)
{
    tcp_t *t = tcp_check_side(L, 0);
    payload_t p;
    size_t sent;
    int rc;

    if (t == NULL)
        return 2;
    payload_check(L, 2, &p);
    if (p.data == NULL) {
        char *buf = conn_scratch(&t->c, p.len + PAYLOAD_NUM_MAX);
        if (buf == NULL)
            return luaL_error(L, "no memory");
        p.len = payload_flatten(L, 2, buf);
        p.data = buf;
    }
    if (p.len == 0) {
        lua_pushinteger(L, 0);
        return 1;
    }
    rc = conn_send(&t->c, p.data, p.len,
                   io_deadline_lazy(tcp_effective(t->send_timeout)), &sent);
    return tcp_push_sent(L, t, rc, sent);
}

/* ---- receive ---------------------------------------------------------- */

/* Strings of this size or more are made under lua_pcall: the peer decides
 * their length, and Lua raises when it cannot allocate one. Below it, the
 * protected call would cost every small read more than it could save. */
#define PUSH_PROTECTED_MIN (64 * 1024)

static int push_span_raw(lua_State *L)
{
    const conn_span_t *span = lua_touserdata(L, 1);
    lua_pushlstring(L, span->p != NULL ? span->p : "", span->n);
    return 1;
}

/* Pushes the span's bytes and returns 1; returns 0, with nothing pushed,
 * when the string cannot be made. */
static int push_span(lua_State *L, const conn_span_t *span)
{
    if (span->n < PUSH_PROTECTED_MIN) {
        lua_pushlstring(L, span->p != NULL ? span->p : "", span->n);
        return 1;
    }
    lua_pushcfunction(L, push_span_raw);
    lua_pushlightuserdata(L, (void *)span);
    if (lua_pcall(L, 1, 1, 0) == 0)
        return 1;
    lua_pop(L, 1);
    return 0;
}

/* Pushes a read's outcome as ngx_lua does: the data, or nil, err, partial.
 * Data or partial data that does not fit in memory is nil, "no memory",
 * "": those bytes are lost, and the read side ends, as after any error
 * but a timeout. */
int tcp_push_read(lua_State *L, tcp_t *t, int rc, conn_span_t *span)
{
    int nret = rc == ERR_OK ? 1 : 3;

    if (rc != ERR_OK) {
        errlog_socket(L, "tcp", "read", rc, NULL);
        push_error(L, rc);
    }
    if (!push_span(L, span)) {
        if (rc != ERR_OK)
            lua_pop(L, 2);
        push_error(L, ERR_NOMEM);
        lua_pushliteral(L, "");
        conn_end_read(&t->c);
        nret = 3;
    }
    conn_release(&t->c, span);
    /* a read served from the buffer took no time worth telling the clock */
    if (t->c.did_read) {
        t->c.did_read = 0;
        TCP_AFTER_WAIT(L, t);
    }
    return nret;
}

static int tcp_receive(lua_State *L)
{
    tcp_t *t;
    conn_span_t span;
    io_ms deadline;
    const char *p;
    size_t len;
    int n = lua_gettop(L), rc;

    if (n != 1 && n != 2)
        return luaL_error(L, "expecting 1 or 2 arguments "
                          "(including the object), but got %d", n);
    t = tcp_check(L);
    if (!tcp_connected(t) || t->c.read_done)
        return push_closed(L);
    deadline = tcp_read_deadline(t);

    /* "*l" first: the common case must not pay for number parsing */
    if (n == 1) {
        rc = conn_recv_line(&t->c, deadline, &span);
    } else if (lua_type(L, 2) == LUA_TSTRING
               && (p = lua_tolstring(L, 2, &len), len == 2 && p[0] == '*')) {
        if (p[1] == 'l')
            rc = conn_recv_line(&t->c, deadline, &span);
        else if (p[1] == 'a')
            rc = conn_recv_all(&t->c, deadline, &span);
        else
            return luaL_argerror(L, 2, "bad pattern argument");
    } else if (compat_isnumber(L, 2)) {
        long long size = compat_trunc(L, 2);
        if (size < 0)
            return luaL_argerror(L, 2, "bad pattern argument");
        if (size == 0) {
            lua_pushliteral(L, "");
            return 1;
        }
        rc = conn_recv_size(&t->c, (size_t)size, deadline, &span);
    } else if (lua_type(L, 2) == LUA_TSTRING) {
        return luaL_argerror(L, 2, lua_pushfstring(L,
                             "bad pattern argument: %s", lua_tostring(L, 2)));
    } else {
        return luaL_argerror(L, 2, "bad pattern argument");
    }
    return tcp_push_read(L, t, rc, &span);
}

size_t tcp_any_max(lua_Number n)
{
    long long max = compat_trunc_number(n);
    return max > 0 ? (size_t)max : 0;
}

static int tcp_receiveany(lua_State *L)
{
    tcp_t *t = tcp_check_side(L, 1);
    conn_span_t span;
    size_t max;
    int rc;

    if (t == NULL)
        return 2;
    if (!compat_isnumber(L, 2)
        || (max = tcp_any_max(compat_tonumber(L, 2))) == 0)
        return luaL_argerror(L, 2, "bad max argument");
    rc = conn_recv_any(&t->c, max, tcp_read_deadline(t), &span);
    return tcp_push_read(L, t, rc, &span);
}

/* ---- receiveuntil ------------------------------------------------------ */

static int until_gc(lua_State *L)
{
    tcp_until_t *u = compat_testudata(L, 1, UNTIL_MT);

    if (u == NULL)
        return 0;
    free(u->m);
    u->m = NULL;
    return 0;
}

/* upvalues: 1 the socket, 2 the iterator state */
static int tcp_until_iter(lua_State *L)
{
    tcp_t *t = lua_touserdata(L, lua_upvalueindex(1));
    tcp_until_t *u = lua_touserdata(L, lua_upvalueindex(2));
    conn_span_t span;
    long long size = 0;
    int n = lua_gettop(L), rc, found;

    if (n > 1)
        return luaL_error(L, "expecting 0 or 1 arguments, but seen %d", n);
    if (n == 1) {
        if (!compat_isnumber(L, 1))
            return luaL_argerror(L, 1, lua_pushfstring(L,
                                 "number expected, got %s",
                                 luaL_typename(L, 1)));
        size = compat_trunc(L, 1);
        if (size < 0)
            size = 0;
    }
    /* a finalizer may bring back an iterator whose matcher __gc freed */
    if (!tcp_connected(t) || t->c.read_done || u->m == NULL)
        return push_closed(L);
    if (u->ended) {
        u->ended = 0;
        lua_pushnil(L);
        lua_pushnil(L);
        lua_pushnil(L);
        return 3;
    }
    rc = conn_recv_until(&t->c, u->m, &u->at, u->inclusive, (size_t)size,
                         tcp_read_deadline(t), &span, &found);
    if (rc == ERR_OK && found && size > 0)
        u->ended = 1;
    return tcp_push_read(L, t, rc, &span);
}

void tcp_push_until_state(lua_State *L, int idx)
{
    if (lua_tocfunction(L, idx) != tcp_until_iter
        || lua_getupvalue(L, idx, 2) == NULL)
        lua_pushnil(L);
}

static int tcp_receiveuntil(lua_State *L)
{
    tcp_until_t *u;
    const char *pat;
    size_t len;
    int n = lua_gettop(L), inclusive = 0;

    if (n != 2 && n != 3)
        return luaL_error(L, "expecting 2 or 3 arguments "
                          "(including the object), but got %d", n);
    if (n == 3) {
        if (lua_type(L, 3) != LUA_TTABLE)
            compat_typeerror(L, 3, "table");
        lua_getfield(L, 3, "inclusive");
        if (lua_type(L, -1) == LUA_TBOOLEAN)
            inclusive = lua_toboolean(L, -1);
        else if (!lua_isnil(L, -1))
            return luaL_error(L, "bad \"inclusive\" option value type: %s",
                              luaL_typename(L, -1));
        lua_pop(L, 1);
    }
    tcp_check(L);
    pat = compat_checklstring(L, 2, &len);
    if (len == 0)
        return push_fail(L, "pattern is empty");
    lua_pushvalue(L, 1);
    u = lua_newuserdata(L, sizeof *u);
    u->m = NULL;
    memset(&u->at, 0, sizeof u->at);
    u->inclusive = inclusive;
    u->ended = 0;
    luaL_getmetatable(L, UNTIL_MT);
    lua_setmetatable(L, -2);
    u->m = until_new(pat, len);
    if (u->m == NULL)
        return luaL_error(L, "no memory");
    lua_pushcclosure(L, tcp_until_iter, 2);
    return 1;
}

/* ---- close, timeouts, options ----------------------------------------- */

/* The socket of a method that takes nothing else (close,
 * getreusedtimes), after ngx_lua's count check worded as that method
 * words it; NULL, with nil, "closed" pushed, when it holds no connection. */
static tcp_t *tcp_check_open(lua_State *L, const char *count_error)
{
    tcp_t *t;

    check_count(L, 1, count_error);
    t = tcp_check(L);
    if (!tcp_closed(t))
        return t;
    push_closed(L);
    return NULL;
}

static int tcp_close(lua_State *L)
{
    tcp_t *t = tcp_check_open(L, "expecting 1 argument (including the "
                                 "object) but seen %d");

    if (t == NULL)
        return 2;
    tcp_release(t);
    lua_pushinteger(L, 1);
    return 1;
}

/* ---- keepalive pool ---------------------------------------------------- */

/* An optional integer argument of setkeepalive, checked before anything
 * changes (ngx_lua 0.10.27 fixed pooling first and raising after). */
static long long opt_integer(lua_State *L, int idx, long long dflt)
{
    if (lua_gettop(L) < idx || lua_isnil(L, idx))
        return dflt;
    if (!compat_isnumber(L, idx))
        luaL_argerror(L, idx, lua_pushfstring(L, "number expected, got %s",
                                              luaL_typename(L, idx)));
    return compat_trunc(L, idx);
}

int tcp_keepalive(tcp_t *t, long long timeout, long long size)
{
    pool_set_t *set;
    pool_t *pool;
    int state;

    if (tcp_half_closed(t))
        return TCP_KEEP_CLOSED;
    /* nginx knows from epoll that the peer closed; we ask the kernel */
    state = conn_keepalive_state(&t->c);
    if (state == ERR_CLOSED)
        return TCP_KEEP_CLOSED;
    if (rbuf_len(&t->c.rb) > 0)
        return TCP_KEEP_UNREAD;
    set = get_pool_set(t, 1);
    if (set == NULL) {
        tcp_release(t);
        return TCP_KEPT;
    }
    pool = pool_find(set, t->key, t->keylen);
    if (pool == NULL) {
        if (size <= 0)
            return TCP_KEEP_BAD_SIZE;
        pool = pool_create(set, t->key, t->keylen,
                           size > INT_MAX ? INT_MAX : (int)size, -1);
        if (pool == NULL)
            return TCP_KEEP_NOMEM;
    }
    if (state != 0)
        return TCP_KEEP_DUBIOUS;
    if (pool_check_in(pool, &t->pool, &t->c, t->reused,
                      timeout > LONG_MAX ? LONG_MAX : (long)timeout) != ERR_OK)
        return TCP_KEEP_LOST;
    return TCP_KEPT;
}

static int tcp_setkeepalive(lua_State *L)
{
    tcp_t *t;
    long long timeout, size;
    int n = lua_gettop(L);

    if (n < 1 || n > 3)
        return luaL_error(L, "expecting 1 to 3 arguments "
                          "(including the object), but got %d", n);
    t = tcp_check(L);
    timeout = opt_integer(L, 2, DEFAULT_KEEPALIVE_MS);
    size = opt_integer(L, 3, DEFAULT_POOL_SIZE);
    switch (tcp_keepalive(t, timeout, size)) {
    case TCP_KEPT:
        lua_pushinteger(L, 1);
        return 1;
    case TCP_KEEP_CLOSED:
        return push_closed(L);
    case TCP_KEEP_UNREAD:
        return push_fail(L, "unread data in buffer");
    case TCP_KEEP_DUBIOUS:
        /* the peer sent what nobody read: the next user would get it */
        tcp_release(t);
        return push_fail(L, "connection in dubious state");
    case TCP_KEEP_BAD_SIZE:
        return luaL_argerror(L, n, lua_pushfstring(L,
                             "bad \"pool_size\" option value: %d",
                             (int)size));
    default: /* TCP_KEEP_NOMEM, TCP_KEEP_LOST */
        return luaL_error(L, "no memory");
    }
}

static int tcp_getreusedtimes(lua_State *L)
{
    tcp_t *t = tcp_check_open(L, "expecting 1 argument (including the "
                                 "object), but got %d");

    if (t == NULL)
        return 2;
    lua_pushinteger(L, t->reused);
    return 1;
}

long tcp_timeout_ms(lua_Number n)
{
    long long ms = compat_trunc_number(n);
    return ms < 0 || ms > 2147483647LL ? -1 : (long)ms;
}

void tcp_set_timeouts(tcp_t *t, long connect_ms, long send_ms, long read_ms)
{
    t->connect_timeout = connect_ms;
    t->send_timeout = send_ms;
    t->read_timeout = read_ms;
}

/* A timeout argument as ngx_lua reads it: a number (or number-like string)
 * of milliseconds; anything else is 0, which means the default. */
static long check_timeout(lua_State *L, int idx)
{
    long ms = tcp_timeout_ms(compat_tonumber(L, idx));
    if (ms < 0)
        luaL_error(L, "bad timeout value");
    return ms;
}

static int tcp_settimeout(lua_State *L)
{
    tcp_t *t;
    long ms;

    check_count(L, 2, "ngx.socket settimeout: expecting 2 arguments "
                      "(including the object) but seen %d");
    t = tcp_check(L);
    ms = check_timeout(L, 2);
    tcp_set_timeouts(t, ms, ms, ms);
    return 0;
}

static int tcp_settimeouts(lua_State *L)
{
    tcp_t *t;
    long c, s, r;

    check_count(L, 4, "ngx.socket settimeout: expecting 4 arguments "
                      "(including the object) but seen %d");
    t = tcp_check(L);
    c = check_timeout(L, 2);
    s = check_timeout(L, 3);
    r = check_timeout(L, 4);
    tcp_set_timeouts(t, c, s, r);
    return 0;
}

static int sockopt_of(const char *name, int *level, int *opt)
{
    static const struct {
        const char *name;
        int level, opt;
    } opts[] = {
        {"keepalive", SOL_SOCKET, SO_KEEPALIVE},
        {"reuseaddr", SOL_SOCKET, SO_REUSEADDR},
        {"tcp-nodelay", IPPROTO_TCP, TCP_NODELAY},
        {"sndbuf", SOL_SOCKET, SO_SNDBUF},
        {"rcvbuf", SOL_SOCKET, SO_RCVBUF},
    };
    size_t i;
    for (i = 0; i < sizeof opts / sizeof opts[0]; i++) {
        if (strcmp(name, opts[i].name) == 0) {
            *level = opts[i].level;
            *opt = opts[i].opt;
            return 1;
        }
    }
    return 0;
}

/* Pushes tostring(value at idx) as LuaJIT writes it, which resty.core puts
 * in its "unsupported option" error: numbers with 14 digits (no ".0" of
 * Lua 5.3+) and NaN without a sign, the NULL light userdata as NULL. */
static void push_option_name(lua_State *L, int idx)
{
    char buf[64];

    if (lua_type(L, idx) == LUA_TNUMBER) {
        lua_Number v = lua_tonumber(L, idx);
        if (isnan(v))
            lua_pushliteral(L, "nan");
        else {
            snprintf(buf, sizeof buf, "%.14g", (double)v);
            lua_pushstring(L, buf);
        }
    } else if (lua_type(L, idx) == LUA_TLIGHTUSERDATA
               && lua_touserdata(L, idx) == NULL) {
        lua_pushliteral(L, "userdata: NULL");
    } else {
        lua_getglobal(L, "tostring");
        lua_pushvalue(L, idx);
        lua_call(L, 1, 1);
    }
}

/* The argument checks of setoption (need_value) and getoption, in
 * resty.core's order; returns 0 when results were pushed instead. */
static int check_option(lua_State *L, tcp_t *t, int need_value, int *level,
                        int *opt)
{
    const char *name;

    if (!t->created)
        luaL_error(L, "socket is never created nor connected");
    if (lua_isnil(L, 2)) {
        lua_pushnil(L);
        lua_pushliteral(L, "missing the \"option\" argument");
        return 0;
    }
    if (need_value && lua_isnil(L, 3)) {
        lua_pushnil(L);
        lua_pushliteral(L, "missing the \"value\" argument");
        return 0;
    }
    /* a number is no option name (and must not become a string here) */
    name = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : NULL;
    if (name == NULL || !sockopt_of(name, level, opt)) {
        lua_pushnil(L);
        push_option_name(L, 2);
        lua_pushfstring(L, "unsupported option %s", lua_tostring(L, -1));
        lua_remove(L, -2);
        return 0;
    }
    return 1;
}

/* setoption's value as resty.core's FFI call converts it to an int: a
 * boolean is 0 or 1, a number is truncated, and one out of the int range
 * (NaN too) is INT_MIN, as the x86 conversion LuaJIT uses makes it. */
static int option_value(lua_State *L, int idx)
{
    lua_Number v;

    if (lua_type(L, idx) == LUA_TBOOLEAN)
        return lua_toboolean(L, idx);
    v = compat_tonumber(L, idx);
    return v > -2147483649.0 && v < 2147483648.0 ? (int)v : INT_MIN;
}

static int tcp_setoption(lua_State *L)
{
    tcp_t *t = tcp_check(L);
    int level, opt, rc;

    lua_settop(L, 3);
    if (!check_option(L, t, 1, &level, &opt))
        return 2;
    if (!tcp_connected(t))
        return push_closed(L);
    rc = io_setopt_int(t->c.fd, level, opt, option_value(L, 3));
    if (rc != ERR_OK)
        return push_fail(L, strerror(rc));
    lua_pushboolean(L, 1);
    return 1;
}

static int tcp_getoption(lua_State *L)
{
    tcp_t *t = tcp_check(L);
    int level, opt, val = 0;
    socklen_t len = sizeof val;

    lua_settop(L, 2);
    if (!check_option(L, t, 0, &level, &opt))
        return 2;
    if (!tcp_connected(t))
        return push_closed(L);
    if (getsockopt(t->c.fd, level, opt, &val, &len) < 0)
        return push_fail(L, strerror(errno));
    lua_pushinteger(L, val);
    return 1;
}

static int tcp_getfd(lua_State *L)
{
    tcp_t *t = tcp_check(L);
    if (!tcp_connected(t))
        return push_closed(L);
    lua_pushinteger(L, t->c.fd);
    return 1;
}

static int tcp_tostring(lua_State *L)
{
    tcp_t *t = tcp_check(L);
    if (tcp_connected(t))
        lua_pushfstring(L, "tcp{%s}: %p", t->c.peer, (void *)t);
    else
        lua_pushfstring(L, "tcp{closed}: %p", (void *)t);
    return 1;
}

static int tcp_gc(lua_State *L)
{
    /* the metatable is public: Lua 5.2+ may hand this a table that
     * was given it, and an error here would surface anywhere */
    tcp_t *t = tcp_test(L);

    if (t == NULL)
        return 0;
    tcp_release(t);
    conn_free(&t->c);
    tls_cert_free(&t->client);
    X509_STORE_free(t->trusted);
    t->trusted = NULL;
    free(t->ssl_error);
    t->ssl_error = NULL;
    free(t->key);
    t->key = NULL;
    return 0;
}

int tcp_new(lua_State *L, lstate_t *st, int mt)
{
    tcp_t *t = lua_newuserdata(L, sizeof *t);
    memset(t, 0, sizeof *t);
    conn_init(&t->c);
    t->st = st;
    t->c.rb.chunk = st->chunk;
    t->c.rb.max = st->max;
    t->c.rb.spare = &st->spare;
    t->self = t;
    t->magic = tcp_magic;
    lua_pushvalue(L, mt);
    lua_setmetatable(L, -2);
    return 1;
}

static const luaL_Reg tcp_methods[] = {
    {"connect", tcp_connect},
    {"bind", tcp_bind},
    {"send", tcp_send},
    {"receive", tcp_receive},
    {"receiveany", tcp_receiveany},
    {"receiveuntil", tcp_receiveuntil},
    {"close", tcp_close},
    {"settimeout", tcp_settimeout},
    {"settimeouts", tcp_settimeouts},
    {"setoption", tcp_setoption},
    {"getoption", tcp_getoption},
    {"getfd", tcp_getfd},
    {"setkeepalive", tcp_setkeepalive},
    {"getreusedtimes", tcp_getreusedtimes},
    {NULL, NULL},
};

void tcp_open(lua_State *L)
{
    (void)lstate(L);
    tcp_tls_open(L);
    luaL_newmetatable(L, UNTIL_MT);
    lua_pushcfunction(L, until_gc);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);

    luaL_newmetatable(L, TCP_MT);
    lua_newtable(L);
    compat_setfuncs(L, tcp_methods, 0);
    compat_setfuncs(L, tcp_tls_methods, 0);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, tcp_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushvalue(L, -1);
    lua_pushcclosure(L, tcp_tostring, 1);
    lua_setfield(L, -2, "__tostring");
    lua_pushliteral(L, TCP_MT);
    lua_setfield(L, -2, "__name");
}
