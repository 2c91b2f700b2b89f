/* bench/floor.c: W3's floor, the module bench_floor. Its tcp() makes an
 * object with the methods W3 calls (settimeout, connect, send, receive,
 * close) that touch no network: after send("LINES N\r\n"), receive()
 * returns bench-server's 14-byte line N times, then nil, "closed", "".
 *
 * It is not a socket. It measures what a classic C method call costs the
 * interpreter in W3's loop: a receive that does nothing but find its
 * object and push the line. No socket written as a lua_CFunction can read
 * lines faster on that interpreter, so the report sets the native columns
 * against it (bench/run.sh: the floor-<interp> columns of W3). */

#include <stdlib.h>
#include <string.h>

#include "lua/compat.h"

#define FLOOR_MT "bench_floor"

static const char LINE[] = "xxxxxxxxxxxxxx"; /* bench/server.c: LINE */

typedef struct {
    long long left; /* lines before "closed" */
} floor_t;

static int floor_receive(lua_State *L)
{
    floor_t *f = lua_touserdata(L, 1);

    if (f == NULL)
        return luaL_argerror(L, 1, "expecting a floor object");
    if (f->left > 0) {
        f->left--;
        lua_pushlstring(L, LINE, sizeof LINE - 1);
        return 1;
    }
    lua_pushnil(L);
    lua_pushliteral(L, "closed");
    lua_pushliteral(L, "");
    return 3;
}

/* "LINES N\r\n" sets the lines to come; any other request, none */
static int floor_send(lua_State *L)
{
    floor_t *f = luaL_checkudata(L, 1, FLOOR_MT);
    size_t len;
    const char *req = luaL_checklstring(L, 2, &len);

    f->left = strncmp(req, "LINES ", 6) == 0 ? atoll(req + 6) : 0;
    lua_pushinteger(L, (lua_Integer)len);
    return 1;
}

static int floor_ok(lua_State *L)
{
    luaL_checkudata(L, 1, FLOOR_MT);
    lua_pushinteger(L, 1);
    return 1;
}

static int floor_tcp(lua_State *L)
{
    floor_t *f = lua_newuserdata(L, sizeof *f);

    f->left = 0;
    luaL_getmetatable(L, FLOOR_MT);
    lua_setmetatable(L, -2);
    return 1;
}

static const luaL_Reg floor_methods[] = {
    { "receive", floor_receive },
    { "send", floor_send },
    { "settimeout", floor_ok },
    { "connect", floor_ok },
    { "close", floor_ok },
    { NULL, NULL },
};

__attribute__((visibility("default")))
int luaopen_bench_floor(lua_State *L);

int luaopen_bench_floor(lua_State *L)
{
    luaL_newmetatable(L, FLOOR_MT);
    lua_newtable(L);
    compat_setfuncs(L, floor_methods, 0);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushcfunction(L, floor_tcp);
    lua_setfield(L, -2, "tcp");
    return 1;
}
