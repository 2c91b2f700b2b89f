/* The TLS methods of the native TCP socket (sslhandshake, getsslsession,
 * setclientcert, getpeercert), the session type, and the per-state TLS
 * context built from the library-wide defaults. */
#include "lua/compat.h"
#include "lua/tcp.h"
#include "lua/errlog.h"

#include "core/err.h"

#include <limits.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SESSION_MT "resty.luasocket.session"
typedef struct {
    tls_session_t *s;
} session_ud_t;

static int tcp_getsslsession(lua_State *L);

/* ---- sessions ----------------------------------------------------------- */

static session_ud_t *push_session(lua_State *L, tls_session_t *s)
{
    session_ud_t *u = lua_newuserdata(L, sizeof *u);
    u->s = s;
    luaL_getmetatable(L, SESSION_MT);
    lua_setmetatable(L, -2);
    return u;
}

static int session_gc(lua_State *L)
{
    session_ud_t *u = compat_testudata(L, 1, SESSION_MT);

    if (u == NULL)
        return 0;
    tls_session_unref(u->s);
    u->s = NULL;
    return 0;
}

static int session_tostring(lua_State *L)
{
    session_ud_t *u = luaL_checkudata(L, 1, SESSION_MT);
    lua_pushfstring(L, "ssl session%s: %p",
                    u->s && u->s->sess ? "" : " (none yet)", (void *)u);
    return 1;
}

/* ---- defaults and the context ------------------------------------------- */

static int version_of(const char *name)
{
    static const struct {
        const char *name;
        int version;
    } versions[] = {
        {"TLSv1", TLS1_VERSION},
        {"TLSv1.1", TLS1_1_VERSION},
        {"TLSv1.2", TLS1_2_VERSION},
        {"TLSv1.3", TLS1_3_VERSION},
    };
    size_t i;
    for (i = 0; i < sizeof versions / sizeof versions[0]; i++)
        if (strcmp(name, versions[i].name) == 0)
            return versions[i].version;
    return -1;
}

/* The keys of a TLS settings table (set_luasec_defaults, and sslhandshake's
 * older form with a table in 4th place) and the Lua type of each value. */
static const struct {
    const char *key;
    int type;
} tls_keys[] = {
    {"cafile", LUA_TSTRING},       {"capath", LUA_TSTRING},
    {"min_protocol", LUA_TSTRING}, {"max_protocol", LUA_TSTRING},
    {"ciphers", LUA_TSTRING},      {"ciphersuites", LUA_TSTRING},
    {"depth", LUA_TNUMBER},        {"certificate", LUA_TSTRING},
    {"key", LUA_TSTRING},
};

/* What read_tls_opts found wrong: the table itself (a key we do not know,
 * a value of the wrong type or with a NUL; raised by both callers), or a
 * value OpenSSL has no use for (returned by set_luasec_defaults). */
enum { OPTS_OK, OPTS_BAD_ARG, OPTS_BAD_VALUE };

/* The type the key at idx wants, or -1 for what is no key of ours. */
static int tls_key_type(lua_State *L, int idx)
{
    const char *k;
    size_t len, i;

    if (lua_type(L, idx) != LUA_TSTRING)
        return -1;
    k = lua_tolstring(L, idx, &len);
    for (i = 0; i < sizeof tls_keys / sizeof tls_keys[0]; i++)
        if (strlen(tls_keys[i].key) == len && memcmp(k, tls_keys[i].key, len) == 0)
            return tls_keys[i].type;
    return -1;
}

/* Replaces the key and value lua_next left below the message on top of
 * the stack with that message; returns it. */
static const char *drop_pair(lua_State *L)
{
    lua_replace(L, -3);
    lua_pop(L, 1);
    return lua_tostring(L, -1);
}

/* Checks every pair of the table at idx; returns NULL, or what is wrong,
 * pushed: the messages of set_luasec_defaults. The strings go to OpenSSL
 * as C strings: a NUL would cut them short, so it is refused. */
static const char *check_tls_table(lua_State *L, int idx)
{
    const char *s;
    size_t len;
    int want;

    lua_pushnil(L);
    while (lua_next(L, idx)) {
        want = tls_key_type(L, -2);
        if (want < 0) {
            lua_getglobal(L, "tostring");
            lua_pushvalue(L, -3);
            lua_call(L, 1, 1);
            lua_pushfstring(L, "unknown key '%s'", lua_tostring(L, -1));
            lua_replace(L, -2);
            return drop_pair(L);
        }
        if (lua_type(L, -1) != want) {
            lua_pushfstring(L, "%s: %s expected, got %s", lua_tostring(L, -2),
                            lua_typename(L, want), luaL_typename(L, -1));
            return drop_pair(L);
        }
        if (want == LUA_TSTRING) {
            s = lua_tolstring(L, -1, &len);
            if (memchr(s, '\0', len) != NULL) {
                lua_pushfstring(L, "%s: holds a NUL byte", lua_tostring(L, -2));
                return drop_pair(L);
            }
        }
        lua_pop(L, 1);
    }
    return NULL;
}

/* A string value of the checked table at idx, or NULL: the table keeps it
 * alive after the pop. */
static const char *opt_string(lua_State *L, int idx, const char *key)
{
    const char *v;
    lua_pushstring(L, key);
    lua_rawget(L, idx);
    v = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    lua_pop(L, 1);
    return v;
}

/* Reads the TLS settings table at idx into o (strings stay owned by the
 * table), after checking it. Returns OPTS_OK, or another OPTS_ with what
 * is wrong pushed and in *bad. */
static int read_tls_opts(lua_State *L, int idx, tls_opts_t *o,
                         const char **bad)
{
    const char *v;
    lua_Number depth;

    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    memset(o, 0, sizeof *o);
    o->verify_depth = -1;
    if ((*bad = check_tls_table(L, idx)) != NULL)
        return OPTS_BAD_ARG;
    o->cafile = opt_string(L, idx, "cafile");
    o->capath = opt_string(L, idx, "capath");
    o->ciphers = opt_string(L, idx, "ciphers");
    o->ciphersuites = opt_string(L, idx, "ciphersuites");
    o->certfile = opt_string(L, idx, "certificate");
    o->keyfile = opt_string(L, idx, "key");
    if ((v = opt_string(L, idx, "min_protocol")) != NULL
        && (o->min_version = version_of(v)) < 0) {
        *bad = lua_pushfstring(L, "bad min_protocol: %s", v);
        return OPTS_BAD_VALUE;
    }
    if ((v = opt_string(L, idx, "max_protocol")) != NULL
        && (o->max_version = version_of(v)) < 0) {
        *bad = lua_pushfstring(L, "bad max_protocol: %s", v);
        return OPTS_BAD_VALUE;
    }
    lua_pushliteral(L, "depth");
    lua_rawget(L, idx);
    if (lua_type(L, -1) == LUA_TNUMBER) {
        /* OpenSSL's depth is an int: a count of certificates, 0 and up */
        depth = lua_tonumber(L, -1);
        if (!(depth >= 0 && depth <= INT_MAX && (lua_Number)(int)depth == depth)) {
            char num[64]; /* as LuaJIT prints it, whatever the Lua */
            snprintf(num, sizeof num, "%.14g", (double)depth);
            *bad = lua_pushfstring(L, "bad depth: %s", num);
            return OPTS_BAD_VALUE;
        }
        o->verify_depth = (int)depth;
    }
    lua_pop(L, 1);
    return OPTS_OK;
}

int tcp_tls_set_defaults(lua_State *L, int idx)
{
    tls_opts_t o;
    tls_ctx_t fresh, *ctx;
    char err[256];
    const char *bad;
    int kind = read_tls_opts(L, idx, &o, &bad);

    if (kind != OPTS_OK) {
        /* nil, why, and for a table that is wrong in itself true: the
         * front raises that as an argument error */
        lua_pushnil(L);
        lua_pushstring(L, bad);
        if (kind == OPTS_BAD_ARG) {
            lua_pushboolean(L, 1);
            return 3;
        }
        return 2;
    }
    if (tls_ctx_init(&fresh, &o, err, sizeof err) != ERR_OK)
        return push_fail(L, err);
    ctx = malloc(sizeof *ctx);
    if (ctx == NULL) {
        tls_ctx_free(&fresh);
        return luaL_error(L, "no memory");
    }
    *ctx = fresh;
    lstate_set_tls(L, ctx);
    lua_pushboolean(L, 1);
    return 1;
}

/* The state's context, built with the system defaults on first use. */
static tls_ctx_t *context(lua_State *L, char *err, size_t len)
{
    tls_ctx_t *ctx = lstate(L)->tls;
    tls_opts_t o;

    if (ctx != NULL)
        return ctx;
    ctx = malloc(sizeof *ctx);
    if (ctx == NULL) {
        snprintf(err, len, "no memory");
        return NULL;
    }
    memset(&o, 0, sizeof o);
    o.verify_depth = -1;
    if (tls_ctx_init(ctx, &o, err, len) != ERR_OK) {
        free(ctx);
        return NULL;
    }
    lstate_set_tls(L, ctx);
    return ctx;
}

/* ---- methods ------------------------------------------------------------- */

/* Pushes nil and the error of a failed handshake, in ngx_lua's words;
 * returns 2. */
static int push_handshake_error(lua_State *L, int rc, long code)
{
    char err[128];

    lua_pushnil(L);
    if (rc == ERR_TLS_VERIFY)
        lua_pushfstring(L, "%d: %s", (int)code,
                        X509_verify_cert_error_string(code));
    else
        lua_pushstring(L, err_text(rc, err, sizeof err));
    return 2;
}

/* What ngx_lua logs for a failed handshake, with OpenSSL's reason where
 * ngx_lua shows it (nginx's "SSL_do_handshake() failed (SSL: ...)"). */
static void log_handshake_failure(lua_State *L, const tcp_t *t, int rc,
                                  long code, const char *name)
{
    if (rc == ERR_TLS_VERIFY)
        errlog_write(L, ERRLOG_ERR, "lua ssl certificate verify error: "
                     "(%d: %s)", (int)code,
                     X509_verify_cert_error_string(code));
    else if (rc == ERR_TLS_HOST)
        errlog_write(L, ERRLOG_ERR, "lua ssl certificate does not match "
                     "host \"%s\"", name != NULL ? name : "");
    else if (rc == ERR_TLS_HANDSHAKE && t->ssl_error != NULL
             && t->ssl_error[0] != '\0')
        errlog_write(L, ERRLOG_ERR, "SSL_do_handshake() failed (SSL: %s)",
                     t->ssl_error);
    else if (rc == ERR_TLS_HANDSHAKE)
        errlog_write(L, ERRLOG_ERR, "SSL_do_handshake() failed");
    else
        errlog_socket(L, "tcp", "read", rc, NULL);
}

/* A server name with a NUL in it: OpenSSL takes the name as a C string, so
 * the server would see (as SNI) and the certificate would be checked
 * against only what comes before the NUL, another name than the caller's.
 * Refused before anything is sent, and the socket closed, as after any
 * failed handshake: with verification asked in ngx_lua's words for the
 * same call (its check of the whole name fails after the handshake). */
static int refuse_server_name(lua_State *L, tcp_t *t, const char *name,
                              size_t len, int verify)
{
    tcp_release(t);
    if (t->ssl_error != NULL)
        snprintf(t->ssl_error, TCP_SSL_ERROR_SIZE,
                 "the server name holds a NUL byte: nothing was sent");
    lua_pushnil(L);
    if (verify) {
        lua_pushliteral(L, "certificate host mismatch");
        return 2;
    }
    lua_pushliteral(L, "bad server name \"");
    push_visible(L, name, len);
    lua_pushliteral(L, "\": holds a NUL byte");
    lua_concat(L, 3);
    return 2;
}

/* sslhandshake on a connection that is TLS already (a second call, or one
 * reused from the pool): no new handshake, but, with verification asked,
 * the peer's certificate must be good for the name asked now (and its
 * chain verified, if no handshake on it did that yet); ngx_lua answers yes
 * whatever the name. Then the answer ngx_lua gives. */
static int reuse_handshake(lua_State *L, tcp_t *t, tls_hs_t *hs,
                           int want_session, int passed)
{
    tls_ctx_t *ctx = NULL;
    char err[256];
    long code;
    int rc;

    if (hs->verify && (ctx = context(L, err, sizeof err)) == NULL)
        return push_fail(L, err);
    hs->store = t->trusted;
    rc = tls_conn_recheck(ctx, &t->c.tls, hs, &code);
    /* a trusted store serves one handshake, as in ngx_lua */
    X509_STORE_free(t->trusted);
    t->trusted = NULL;
    if (rc != ERR_OK) {
        tcp_release(t);
        return push_handshake_error(L, rc, code);
    }
    if (passed) {
        /* ngx_lua answers a passed session with that same session */
        lua_pushvalue(L, 2);
        return 1;
    }
    if (!want_session) {
        lua_pushboolean(L, 1);
        return 1;
    }
    return tcp_getsslsession(L);
}

/* Reads sslhandshake()'s server name (nil and false both mean none, as in
 * resty.core), verify flag, and 4th argument into hs: a boolean asks for
 * OCSP stapling; a table, the older form, holds this handshake's own TLS
 * settings (into per_call), checked as set_luasec_defaults checks its
 * table, the message naming the 4th argument however the method was
 * called. The stack is 5 deep. */
static void read_handshake_args(lua_State *L, tls_hs_t *hs,
                                tls_opts_t *per_call, size_t *name_len)
{
    const char *bad;

    memset(hs, 0, sizeof *hs);
    *name_len = 0;
    hs->server_name = lua_isnil(L, 3) || (lua_type(L, 3) == LUA_TBOOLEAN
                                          && !lua_toboolean(L, 3))
                          ? NULL
                          : compat_checklstring(L, 3, name_len);
    hs->verify = lua_toboolean(L, 4);
    if (hs->server_name != NULL && *name_len == 0)
        hs->server_name = NULL;
    if (lua_type(L, 5) == LUA_TTABLE) {
        if (read_tls_opts(L, 5, per_call, &bad) != OPTS_OK)
            luaL_error(L, "bad argument #4 to 'sslhandshake' (%s)", bad);
        hs->opts = per_call;
    } else {
        hs->status_req = lua_toboolean(L, 5);
    }
}

/* A TLS handshake on the socket's plain connection; with want_session, the
 * session object (pushed first, so that an error leaks nothing) is the
 * answer, else true. */
static int new_handshake(lua_State *L, tcp_t *t, tls_hs_t *hs,
                         int want_session, session_ud_t *resume)
{
    tls_session_t *keep = NULL;
    tls_ctx_t *ctx;
    char err[256];
    long code;
    int rc;

    ctx = context(L, err, sizeof err);
    if (ctx == NULL)
        return push_fail(L, err);
    if (want_session) {
        keep = tls_session_new();
        if (keep == NULL)
            return luaL_error(L, "no memory");
        push_session(L, keep);
    }
    hs->resume = resume != NULL ? resume->s : NULL;
    hs->keep = keep;
    hs->client = t->client.cert != NULL ? &t->client : NULL;
    hs->store = t->trusted;

    rc = conn_starttls(&t->c, ctx, hs,
                       io_deadline(tcp_effective(t->connect_timeout)), &code);
    /* a trusted store serves one handshake, as in ngx_lua */
    X509_STORE_free(t->trusted);
    t->trusted = NULL;
    if (rc != ERR_OK) {
        tcp_release(t);
        log_handshake_failure(L, t, rc, code, hs->server_name);
        push_handshake_error(L, rc, code);
        lstate_after_wait(L);
        return 2;
    }
    if (!want_session)
        lua_pushboolean(L, 1);
    lstate_after_wait(L);
    return 1;
}

static int tcp_sslhandshake(lua_State *L)
{
    tcp_t *t;
    session_ud_t *resume;
    tls_hs_t hs;
    tls_opts_t per_call;
    size_t name_len;
    int n = lua_gettop(L), want_session;

    if (n < 1 || n > 5)
        return luaL_error(L, "ngx.socket sslhandshake: expecting 1 ~ 5 "
                          "arguments (including the object), but seen %d", n);
    t = tcp_check(L);
    lua_settop(L, 5);
    want_session = !(lua_type(L, 2) == LUA_TBOOLEAN && !lua_toboolean(L, 2));
    resume = compat_testudata(L, 2, SESSION_MT);
    read_handshake_args(L, &hs, &per_call, &name_len);

    if (!t->created)
        return luaL_error(L, "socket is never created nor connected");
    if (tcp_half_closed(t))
        return push_error(L, ERR_CLOSED);
    /* out of memory, the reason goes unrecorded: getsslerror says nil */
    if (t->ssl_error == NULL)
        t->ssl_error = malloc(TCP_SSL_ERROR_SIZE);
    if (t->ssl_error != NULL)
        t->ssl_error[0] = '\0';
    if (hs.server_name != NULL && memchr(hs.server_name, '\0', name_len))
        return refuse_server_name(L, t, hs.server_name, name_len, hs.verify);
    hs.reason = t->ssl_error;
    hs.reason_len = t->ssl_error != NULL ? TCP_SSL_ERROR_SIZE : 0;
    if (t->c.tls.ssl != NULL)
        return reuse_handshake(L, t, &hs, want_session, resume != NULL);
    return new_handshake(L, t, &hs, want_session, resume);
}

/* getsslerror(): why the socket's last sslhandshake failed, in OpenSSL's
 * words where it has some (the verify error and the certificate it was
 * about, the alert the server sent, ...), or nil when it did not fail.
 * sslhandshake itself returns ngx_lua's terse strings; nginx writes these
 * details to its error log, which plain Lua does not have. */
static int tcp_getsslerror(lua_State *L)
{
    tcp_t *t = tcp_check(L);

    if (t->ssl_error == NULL || t->ssl_error[0] == '\0')
        lua_pushnil(L);
    else
        lua_pushstring(L, t->ssl_error);
    return 1;
}

/* For the methods that need a TLS connection: pushes nil and why there is
 * none and returns 2, or returns 0. */
static int push_no_tls(lua_State *L, tcp_t *t)
{
    if (t->c.fd < 0)
        return push_error(L, ERR_CLOSED);
    if (t->c.tls.ssl != NULL)
        return 0;
    return push_fail(L, "no ssl session");
}

static int set_client_cert(lua_State *L, tcp_t *t, int cert, int key);

/* tlshandshake(opts): resty.core's options-table form of sslhandshake. */
static int tcp_tlshandshake(lua_State *L)
{
    tcp_t *t;

    if (lua_gettop(L) != 2 || lua_type(L, 2) != LUA_TTABLE)
        return luaL_error(L, "bad options arg: table expected");
    t = tcp_check(L);
    lua_getfield(L, 2, "client_cert");
    lua_getfield(L, 2, "client_priv_key");
    if ((!lua_isnil(L, 3) || !lua_isnil(L, 4)) && set_client_cert(L, t, 3, 4))
        return 2;
    lua_settop(L, 2);
    lua_getfield(L, 2, "reused_session");
    lua_getfield(L, 2, "server_name");
    lua_getfield(L, 2, "verify");
    lua_getfield(L, 2, "ocsp_status_req");
    /* a flag there, never the older form's table of settings */
    lua_pushboolean(L, lua_toboolean(L, -1));
    lua_replace(L, -2);
    lua_remove(L, 2);
    return tcp_sslhandshake(L);
}

static int tcp_getsslsession(lua_State *L)
{
    tcp_t *t = tcp_check(L);
    tls_session_t *s;
    int nret = push_no_tls(L, t);

    if (nret != 0)
        return nret;
    s = tls_session_new();
    if (s == NULL)
        return luaL_error(L, "no memory");
    push_session(L, s);
    s->sess = tls_current_session(t->c.tls.ssl);
    return 1;
}

/* Sets the client certificate from the PEM strings at cert and key (both
 * nil or false: none). Returns 0, or pushes nil and why and returns 2. */
static int set_client_cert(lua_State *L, tcp_t *t, int cert, int key)
{
    size_t clen, klen;
    const char *c, *k;
    int rc;

    /* false counts as nil, as resty.core tests `not cert` */
    if (!lua_toboolean(L, cert) && !lua_toboolean(L, key)) {
        tls_cert_free(&t->client);
        return 0;
    }
    lua_pushnil(L);
    if (!lua_toboolean(L, cert) || !lua_toboolean(L, key)) {
        lua_pushliteral(L, "client certificate must be supplied with "
                           "corresponding private key");
        return 2;
    }
    if (lua_type(L, cert) != LUA_TSTRING) {
        lua_pushfstring(L, "bad cert arg: string expected, got %s",
                        luaL_typename(L, cert));
        return 2;
    }
    if (lua_type(L, key) != LUA_TSTRING) {
        lua_pushfstring(L, "bad pkey arg: string expected, got %s",
                        luaL_typename(L, key));
        return 2;
    }
    lua_pop(L, 1);
    c = lua_tolstring(L, cert, &clen);
    k = lua_tolstring(L, key, &klen);
    tls_cert_free(&t->client);
    rc = tls_cert_parse(&t->client, c, clen, k, klen);
    if (rc != ERR_OK)
        return push_error(L, rc);
    return 0;
}

static int tcp_setclientcert(lua_State *L)
{
    tcp_t *t = tcp_check(L);

    lua_settop(L, 3);
    if (set_client_cert(L, t, 2, 3))
        return 2;
    lua_pushboolean(L, 1);
    return 1;
}

/* settrustedstore(pem): the CAs (PEM text) that the next verifying
 * handshake trusts instead of the defaults; nil forgets them. ngx_lua takes
 * an X509_STORE cdata, which plain Lua cannot make. */
static int tcp_settrustedstore(lua_State *L)
{
    tcp_t *t = tcp_check(L);
    X509_STORE *st = NULL;
    size_t len;
    const char *pem;

    lua_settop(L, 2);
    if (tcp_half_closed(t))
        return push_error(L, ERR_CLOSED);
    if (t->c.tls.ssl != NULL) {
        lua_pushnil(L);
        lua_pushliteral(L, "ssl handshake already done; trusted store cannot "
                           "be changed on an established TLS connection");
        return 2;
    }
    if (!lua_isnil(L, 2)) {
        if (lua_type(L, 2) != LUA_TSTRING) {
            lua_pushnil(L);
            lua_pushfstring(L, "bad store arg: string expected, got %s",
                            luaL_typename(L, 2));
            return 2;
        }
        pem = lua_tolstring(L, 2, &len);
        if (memchr(pem, '\0', len) != NULL) {
            /* readers that stop at a NUL and readers that do not could
             * trust different CAs: refused, whatever follows it */
            return push_fail(L, "bad trusted store: holds a NUL byte");
        }
        st = tls_store_parse(pem, len);
        if (st == NULL)
            return push_fail(L, "bad trusted store: no certificate in it");
    }
    X509_STORE_free(t->trusted);
    t->trusted = st;
    lua_pushboolean(L, 1);
    return 1;
}

static int tcp_getpeercert(lua_State *L)
{
    tcp_t *t = tcp_check(L);
    size_t len = 0;
    char *pem;
    int nret = push_no_tls(L, t);

    if (nret != 0)
        return nret;
    pem = tls_peer_cert_pem(t->c.tls.ssl, &len);
    if (pem == NULL)
        return push_fail(L, "no peer certificate");
    lua_pushlstring(L, pem, len);
    free(pem);
    return 1;
}

const luaL_Reg tcp_tls_methods[] = {
    {"sslhandshake", tcp_sslhandshake},
    {"tlshandshake", tcp_tlshandshake},
    {"getsslsession", tcp_getsslsession},
    {"setclientcert", tcp_setclientcert},
    {"settrustedstore", tcp_settrustedstore},
    {"getpeercert", tcp_getpeercert},
    {"getsslerror", tcp_getsslerror},
    {NULL, NULL},
};

void tcp_tls_open(lua_State *L)
{
    luaL_newmetatable(L, SESSION_MT);
    lua_pushcfunction(L, session_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, session_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);
}
