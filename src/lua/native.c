/* The module table of resty.luasocket.native. */
#define _GNU_SOURCE /* dladdr */
#include "lua/compat.h"
#include "lua/bitop.h"
#include "lua/codec.h"
#include "lua/errlog.h"
#include "lua/re.h"
#include "lua/tcp.h"
#include "lua/udp.h"

#include "core/io.h"

#include <dlfcn.h>
#include <limits.h>
#include <time.h>
#include <unistd.h>

/* ngx.socket.tcp() and udp() take no arguments, and say so */
static void check_no_args(lua_State *L)
{
    if (lua_gettop(L) != 0)
        luaL_error(L, "expecting zero arguments, but got %d", lua_gettop(L));
}

/* its upvalues, found once at luaopen: the state's object (lstate) and
 * the socket metatable */
static int native_tcp(lua_State *L)
{
    check_no_args(L);
    return tcp_new(L, lua_touserdata(L, lua_upvalueindex(1)),
                   lua_upvalueindex(2));
}

/* fast.lua's made-ahead sockets: new_sockets(t, n) sets t[1..n] to new
 * sockets; the upvalues are native_tcp's. */
static int native_tcp_ahead(lua_State *L)
{
    lstate_t *st = lua_touserdata(L, lua_upvalueindex(1));
    lua_Integer i, n = luaL_checkinteger(L, 2);

    luaL_checktype(L, 1, LUA_TTABLE);
    for (i = 1; i <= n; i++) {
        tcp_new(L, st, lua_upvalueindex(2));
        lua_rawseti(L, 1, (int)i);
    }
    lua_pushinteger(L, n);
    return 1;
}

static int native_udp(lua_State *L)
{
    check_no_args(L);
    return udp_new(L);
}

/* The number ngx_lua shows when it refuses a sleep duration: its
 * (ngx_int_t) cast of the milliseconds, printed with %d (the low 32 bits).
 * NaN and durations below the int64 range cast to INT64_MIN on x86-64,
 * whose low half is 0. */
static int refused_ms(lua_Number ms)
{
    unsigned long long low;

    if (!(ms > -9223372036854775808.0))
        return 0;
    low = (unsigned long long)(long long)ms & 0xffffffffu;
    return low > INT_MAX ? (int)((long long)low - 4294967296LL) : (int)low;
}

/* ngx.sleep for plain Lua: blocks, as everything here does. As ngx_lua, it
 * counts whole milliseconds (truncated) and refuses fewer than 0, NaN
 * included. Durations past 2^62 ms sleep that long: ngx_lua's cast makes
 * them errors by accident, and a huge sleep that returns at once would
 * turn a caller's wait into a busy loop. */
#define SLEEP_MAX_MS 4611686018427387904.0
static int native_sleep(lua_State *L)
{
    int n = lua_gettop(L);
    lua_Number want;
    io_ms deadline;

    if (n != 1)
        return luaL_error(L, "attempt to pass %d arguments, but accepted 1", n);
    want = luaL_checknumber(L, 1) * 1000;
    if (!(want > -1))
        return luaL_error(L, "invalid sleep duration \"%d\"", refused_ms(want));
    deadline = io_now() + (io_ms)(want < SLEEP_MAX_MS ? want : SLEEP_MAX_MS);
    io_sleep_until(deadline);
    return 0;
}

/* ngx.now for plain Lua: wall-clock seconds with milliseconds */
static int native_now(lua_State *L)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    lua_pushnumber(L, (lua_Number)ts.tv_sec
                          + (lua_Number)(ts.tv_nsec / 1000000) / 1000);
    return 1;
}

/* ngx.worker.pid for plain Lua: this process */
static int native_getpid(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)getpid());
    return 1;
}

/* The library-wide TLS defaults (resty.luasocket's set_luasec_defaults
 * checks the table): true, or nil and why the context could not be made. */
static int native_set_tls_defaults(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    return tcp_tls_set_defaults(L, 1);
}

static int native_set_clock_hook(lua_State *L)
{
    if (!lua_isnoneornil(L, 1))
        luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_settop(L, 1);
    lstate_set_clock_hook(L, 1);
    return 0;
}

/* set_error_log(fn): fn(level, text) is called when a native socket fails
 * as ngx_lua would log it; nil: nothing is told */
static int native_set_error_log(lua_State *L)
{
    if (!lua_isnoneornil(L, 1))
        luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_settop(L, 1);
    errlog_set_hook(L, 1);
    return 0;
}

static int native_set_buffer_size(lua_State *L)
{
    tcp_set_buffer_size(L, 1);
    return 0;
}

static int native_set_max_buffer(lua_State *L)
{
    tcp_set_max_buffer(L, 1);
    return 0;
}

static const luaL_Reg native_funcs[] = {
    {"udp", native_udp},
    {"set_clock_hook", native_set_clock_hook},
    {"set_error_log", native_set_error_log},
    {"set_buffer_size", native_set_buffer_size},
    {"set_max_buffer", native_set_max_buffer},
    {"sleep", native_sleep},
    {"set_tls_defaults", native_set_tls_defaults},
    {"now", native_now},
    {"getpid", native_getpid},
    {NULL, NULL},
};

/* Keeps this library mapped for the life of the process. At lua_close,
 * Lua 5.1 and LuaJIT unload C modules before every finalizer has run, and a
 * finalizer that makes or drops a socket then would call into unmapped
 * code. One more reference, never released, prevents that. */
static void pin_library(void)
{
#ifdef RTLD_NODELETE
    Dl_info info;
    if (dladdr((void *)&pin_library, &info) && info.dli_fname != NULL)
        (void)dlopen(info.dli_fname, RTLD_NOW | RTLD_NODELETE);
#endif
}

/* Under LuaJIT, resty.luasocket.fast replaces the hot TCP methods with
 * their FFI path (tcp_ffi.c), and the module's tcp() with one that hands
 * out sockets made ahead; it returns nil elsewhere. A missing or
 * failing file leaves tcp.c's methods: never an error. native.fast_path
 * says which. The module table is at the top of the stack. */
static void install_fast_path(lua_State *L)
{
    int top = lua_gettop(L), on = 0;

    lua_getglobal(L, "require");
    lua_pushliteral(L, "resty.luasocket.fast");
    if (lua_pcall(L, 1, 1, 0) == 0 && lua_isfunction(L, -1)) {
        luaL_getmetatable(L, TCP_MT);
        lua_getfield(L, -1, "__index");
        lua_pushvalue(L, -2);
        tcp_ffi_push(L);
        lua_pushlightuserdata(L, lstate(L));
        luaL_getmetatable(L, TCP_MT);
        lua_pushcclosure(L, native_tcp_ahead, 2);
        lua_setfield(L, -2, "new_sockets");
        lua_remove(L, -4); /* the metatable's first copy */
        lua_pushvalue(L, top);
        on = lua_pcall(L, 4, 1, 0) == 0 && lua_toboolean(L, -1);
    }
    lua_settop(L, top);
    lua_pushboolean(L, on);
    lua_setfield(L, -2, "fast_path");
}

__attribute__((visibility("default")))
int luaopen_resty_luasocket_native(lua_State *L);

int luaopen_resty_luasocket_native(lua_State *L)
{
    pin_library();
    tcp_open(L);
    udp_open(L);
    lua_newtable(L);
    compat_setfuncs(L, native_funcs, 0);
    lua_pushlightuserdata(L, lstate(L));
    luaL_getmetatable(L, TCP_MT);
    lua_pushcclosure(L, native_tcp, 2);
    lua_setfield(L, -2, "tcp");
    luaL_getmetatable(L, TCP_MT);
    lua_setfield(L, -2, "tcp_mt");
    luaL_getmetatable(L, UDP_MT);
    lua_setfield(L, -2, "udp_mt");
    /* ngx.null is a NULL light userdata; plain Lua cannot make one */
    lua_pushlightuserdata(L, NULL);
    lua_setfield(L, -2, "null");
    /* the parts of the plain-Lua ngx (resty.luasocket.ngx) written in C */
    re_open(L);
    lua_setfield(L, -2, "re");
    codec_open(L);
    lua_setfield(L, -2, "codec");
    bitop_open(L);
    lua_setfield(L, -2, "bit");
    install_fast_path(L);
    return 1;
}
