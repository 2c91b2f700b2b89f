/* The native UDP socket as a Lua userdata, with ngx_lua's arguments and
 * return values; the work is src/core/dgram.c. */
#include "lua/udp.h"
#include "lua/errlog.h"
#include "lua/compat.h"
#include "lua/payload.h"
#include "lua/state.h"

#include "core/dgram.h"
#include "core/err.h"

#include <string.h>

typedef struct {
    dgram_t d;
    long read_timeout; /* ms; 0 = default */
} udp_t;

static udp_t *check_udp(lua_State *L)
{
    udp_t *u = compat_testudata(L, 1, UDP_MT);
    if (u != NULL)
        return u;
    /* as tcp_check: ngx_lua's message for what is not a table */
    if (lua_type(L, 1) != LUA_TTABLE)
        compat_typeerror(L, 1, "table");
    return luaL_checkudata(L, 1, UDP_MT);
}

static int udp_setpeername(lua_State *L)
{
    udp_t *u;
    const char *host;
    size_t len;
    int n = lua_gettop(L), port = 0, rc;

    if (n != 2 && n != 3)
        return luaL_error(L, "ngx.socket.udp setpeername: expecting 2 or 3 "
                          "arguments (including the object), but seen %d", n);
    u = check_udp(L);
    host = compat_checklstring(L, 2, &len);
    if (n == 3) {
        if (!compat_isnumber(L, 3))
            compat_typeerror(L, 3, "number");
        port = (int)(unsigned)(unsigned long long)compat_trunc(L, 3);
        if (port < 0 || port > 65535) {
            lua_pushnil(L);
            lua_pushfstring(L, "bad port number: %d", port);
            return 2;
        }
    }
    if (len == 0) {
        dgram_close(&u->d);
        return push_fail(L, "failed to parse host name \"\": no host");
    }
    if (memchr(host, '\0', len) != NULL) {
        dgram_close(&u->d);
        return push_nul_host(L, host, len);
    }
    rc = dgram_setpeer(&u->d, host, port,
                       io_deadline(u->read_timeout > 0 ? u->read_timeout
                                                       : DEFAULT_TIMEOUT_MS));
    lstate_after_wait(L);
    if (err_resolve_reason(rc) != NULL) {
        lua_pushnil(L);
        lua_pushfstring(L, "%s could not be resolved (%s)", host,
                        err_resolve_reason(rc));
        return 2;
    }
    if (rc != ERR_OK)
        return push_error(L, rc);
    lua_pushinteger(L, 1);
    return 1;
}

static int udp_send(lua_State *L)
{
    udp_t *u;
    payload_t p;
    int rc;

    check_count(L, 2, "expecting 2 arguments (including the object), "
                      "but got %d");
    u = check_udp(L);
    if (u->d.fd < 0)
        return push_error(L, ERR_CLOSED);
    payload_check(L, 2, &p);
    if (p.data == NULL) {
        char *buf = lua_newuserdata(L, p.len + PAYLOAD_NUM_MAX);
        p.len = payload_flatten(L, 2, buf);
        p.data = buf;
    }
    rc = dgram_send(&u->d, p.data, p.len);
    if (rc != ERR_OK) {
        errlog_socket(L, "udp", "send", rc, NULL);
        return push_error(L, rc);
    }
    lua_pushinteger(L, 1);
    return 1;
}

static int udp_receive(lua_State *L)
{
    udp_t *u;
    char buf[DGRAM_MAX];
    size_t max = DGRAM_MAX, got = 0;
    int n = lua_gettop(L), rc;

    if (n != 1 && n != 2)
        return luaL_error(L, "expecting 1 or 2 arguments "
                          "(including the object), but got %d", n);
    u = check_udp(L);
    if (u->d.fd < 0)
        return push_error(L, ERR_CLOSED);
    if (n == 2) {
        lua_Number want = DGRAM_MAX;
        if (!lua_isnil(L, 2)) {
            if (!compat_isnumber(L, 2))
                compat_typeerror(L, 2, "number");
            want = compat_tonumber(L, 2);
        }
        max = want > 0 && want < DGRAM_MAX ? (size_t)want : DGRAM_MAX;
        if (want >= 0 && want < 1)
            max = 0;
    }
    rc = dgram_recv(&u->d, buf, max, io_deadline(u->read_timeout > 0
                                                     ? u->read_timeout
                                                     : DEFAULT_TIMEOUT_MS),
                    &got);
    if (rc != ERR_OK) {
        errlog_socket(L, "udp", "read", rc, NULL);
        push_error(L, rc);
        lstate_after_wait(L);
        return 2;
    }
    lua_pushlstring(L, buf, got);
    lstate_after_wait(L);
    return 1;
}

static int udp_settimeout(lua_State *L)
{
    udp_t *u;
    long long ms;

    check_count(L, 2, "ngx.socket settimeout: expecting at least 2 "
                      "arguments (including the object) but seen %d");
    u = check_udp(L);
    ms = compat_trunc(L, 2);
    u->read_timeout = ms > 0 && ms <= 2147483647LL ? (long)ms : 0;
    return 0;
}

static int udp_bind(lua_State *L)
{
    udp_t *u;
    const char *ip;

    check_count(L, 2, "expecting 2 arguments, but got %d");
    u = check_udp(L);
    ip = bind_address(L, 2);
    if (ip == NULL || dgram_bind(&u->d, ip) != ERR_OK)
        return push_fail(L, "bad address");
    lua_pushboolean(L, 1);
    return 1;
}

static int udp_close(lua_State *L)
{
    udp_t *u;

    check_count(L, 1, "expecting 1 argument "
                      "(including the object) but seen %d");
    u = check_udp(L);
    if (u->d.fd < 0)
        return push_error(L, ERR_CLOSED);
    dgram_close(&u->d);
    lua_pushinteger(L, 1);
    return 1;
}

static int udp_tostring(lua_State *L)
{
    udp_t *u = check_udp(L);
    if (u->d.fd >= 0)
        lua_pushfstring(L, "udp{%s}: %p", u->d.peer, (void *)u);
    else
        lua_pushfstring(L, "udp{closed}: %p", (void *)u);
    return 1;
}

static int udp_gc(lua_State *L)
{
    dgram_close(&check_udp(L)->d);
    return 0;
}

int udp_new(lua_State *L)
{
    udp_t *u = lua_newuserdata(L, sizeof *u);
    memset(u, 0, sizeof *u);
    dgram_init(&u->d);
    luaL_getmetatable(L, UDP_MT);
    lua_setmetatable(L, -2);
    return 1;
}

static const luaL_Reg udp_methods[] = {
    {"setpeername", udp_setpeername},
    {"send", udp_send},
    {"receive", udp_receive},
    {"settimeout", udp_settimeout},
    {"bind", udp_bind},
    {"close", udp_close},
    {NULL, NULL},
};

void udp_open(lua_State *L)
{
    luaL_newmetatable(L, UDP_MT);
    lua_newtable(L);
    compat_setfuncs(L, udp_methods, 0);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, udp_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, udp_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushliteral(L, UDP_MT);
    lua_setfield(L, -2, "__name");
}
