/* The per-state object of state.h: a userdata in the registry, finalized
 * (its idle connections closed, its TLS context freed) when the state
 * closes. */
#include "lua/state.h"
#include "lua/compat.h"

#include "core/addr.h"
#include "core/err.h"
#include "core/pool.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

/* The addresses of these constants are registry keys. */
static const char state_key = 's';
static const char clock_hook_key = 'k';

/* lstate_t and the pools it points to, in one block of Lua's memory: Lua
 * frees it only once every finalizer has run. */
typedef struct {
    lstate_t pub;
    pool_set_t pools;
} state_block_t;

static void free_tls(void *ctx)
{
    if (ctx != NULL) {
        tls_ctx_free(ctx);
        free(ctx);
    }
}

static int state_gc(lua_State *L)
{
    state_block_t *b = lua_touserdata(L, 1);

    pool_set_close(&b->pools);
    rbuf_spare_close(&b->pub.spare);
    free_tls(b->pub.tls);
    b->pub.tls = NULL;
    return 0;
}

lstate_t *lstate(lua_State *L)
{
    state_block_t *b;

    lua_pushlightuserdata(L, (void *)&state_key);
    lua_rawget(L, LUA_REGISTRYINDEX);
    b = lua_touserdata(L, -1);
    lua_pop(L, 1);
    if (b != NULL)
        return &b->pub;
    lua_pushlightuserdata(L, (void *)&state_key);
    b = lua_newuserdata(L, sizeof *b);
    b->pub.hooked = 0;
    b->pub.chunk = RBUF_CHUNK;
    b->pub.max = RBUF_MAX;
    b->pub.pools = &b->pools;
    b->pub.tls = NULL;
    b->pub.spare.data = NULL;
    b->pub.spare.cap = 0;
    b->pub.spare.closed = 0;
    pool_set_init(&b->pools);
    lua_newtable(L);
    lua_pushcfunction(L, state_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
    return &b->pub;
}

void lstate_set_tls(lua_State *L, void *ctx)
{
    lstate_t *st = lstate(L);

    free_tls(st->tls);
    st->tls = ctx;
}

void lstate_set_clock_hook(lua_State *L, int idx)
{
    lua_pushlightuserdata(L, (void *)&clock_hook_key);
    lua_pushvalue(L, idx);
    lua_rawset(L, LUA_REGISTRYINDEX);
    lstate(L)->hooked = !lua_isnil(L, idx);
}

void lstate_after_wait(lua_State *L)
{
    lua_pushlightuserdata(L, (void *)&clock_hook_key);
    lua_rawget(L, LUA_REGISTRYINDEX);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return;
    }
    lua_call(L, 0, 0);
}

void check_count(lua_State *L, int want, const char *count_error)
{
    int n = lua_gettop(L);

    if (n != want)
        luaL_error(L, count_error, n);
}

const char *bind_address(lua_State *L, int idx)
{
    size_t len;
    const char *ip = compat_checklstring(L, idx, &len);

    return memchr(ip, '\0', len) == NULL ? ip : NULL;
}

int push_error(lua_State *L, int rc)
{
    char buf[128];
    return push_fail(L, err_text(rc, buf, sizeof buf));
}

int push_fail(lua_State *L, const char *msg)
{
    lua_pushnil(L);
    lua_pushstring(L, msg);
    return 2;
}

void push_visible(lua_State *L, const char *s, size_t len)
{
    luaL_Buffer b;
    size_t i;

    luaL_buffinit(L, &b);
    for (i = 0; i < len; i++) {
        if (s[i] == '\0')
            luaL_addlstring(&b, "\\0", 2);
        else
            luaL_addchar(&b, s[i]);
    }
    luaL_pushresult(&b);
}

/* A C string made from such a host would end at the NUL: the lookup or the
 * connect would go to what comes before it ("127.0.0.1\0.evil.test" to
 * 127.0.0.1), not where the caller (and any allow-list that looked at the
 * whole string) meant. ngx_lua sends the whole name to its resolver, which
 * finds nothing: we give that answer without asking. nginx cuts a unix
 * path at the NUL and connects there; we refuse it, in the words nginx
 * uses for paths it cannot take. */
int push_nul_host(lua_State *L, const char *host, size_t len)
{
    const char *msg;

    lua_pushnil(L);
    if (addr_is_unix(host)) {
        lua_pushliteral(L, "failed to parse host name \"");
        push_visible(L, host, len);
        lua_pushliteral(L, "\": holds a NUL byte");
        lua_concat(L, 3);
    } else if ((msg = addr_parse_error(host, len)) != NULL) {
        /* what nginx's parser finds first (a bracketed literal), shown
         * cut at the NUL as ngx_lua shows it */
        lua_pushfstring(L, "failed to parse host name \"%s\": %s", host, msg);
    } else {
        lua_pushlstring(L, host, len);
        lua_pushliteral(L, " could not be resolved (3: Host not found)");
        lua_concat(L, 2);
    }
    return 2;
}
