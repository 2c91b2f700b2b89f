/* The module table of resty.luasocket.native. */
#include "lua/compat.h"
#include "lua/tcp.h"
#include "lua/udp.h"

/* ngx.socket.tcp() and udp() take no arguments, and say so */
static void check_no_args(lua_State *L)
{
    if (lua_gettop(L) != 0)
        luaL_error(L, "expecting zero arguments, but got %d", lua_gettop(L));
}

static int native_tcp(lua_State *L)
{
    check_no_args(L);
    return tcp_new(L);
}

static int native_udp(lua_State *L)
{
    check_no_args(L);
    return udp_new(L);
}

static int native_set_clock_hook(lua_State *L)
{
    if (!lua_isnoneornil(L, 1))
        luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_settop(L, 1);
    tcp_set_clock_hook(L, 1);
    return 0;
}

static const luaL_Reg native_funcs[] = {
    {"tcp", native_tcp},
    {"udp", native_udp},
    {"set_clock_hook", native_set_clock_hook},
    {NULL, NULL},
};

__attribute__((visibility("default")))
int luaopen_resty_luasocket_native(lua_State *L);

int luaopen_resty_luasocket_native(lua_State *L)
{
    tcp_open(L);
    udp_open(L);
    lua_newtable(L);
    compat_setfuncs(L, native_funcs, 0);
    luaL_getmetatable(L, TCP_MT);
    lua_setfield(L, -2, "tcp_mt");
    luaL_getmetatable(L, UDP_MT);
    lua_setfield(L, -2, "udp_mt");
    return 1;
}
