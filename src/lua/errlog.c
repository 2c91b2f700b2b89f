/* The error log of native sockets: see errlog.h. */
#include "lua/errlog.h"

#include "core/err.h"

#include <stdarg.h>
#include <string.h>

#include <lauxlib.h>

static const char hook_key = 'l';

void errlog_set_hook(lua_State *L, int idx)
{
    lua_pushlightuserdata(L, (void *)&hook_key);
    lua_pushvalue(L, idx);
    lua_rawset(L, LUA_REGISTRYINDEX);
}

void errlog_write(lua_State *L, int level, const char *fmt, ...)
{
    va_list ap;

    lua_pushlightuserdata(L, (void *)&hook_key);
    lua_rawget(L, LUA_REGISTRYINDEX);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return;
    }
    lua_pushinteger(L, level);
    va_start(ap, fmt);
    lua_pushvfstring(L, fmt, ap);
    va_end(ap);
    if (lua_pcall(L, 2, 0, 0) != 0)
        lua_pop(L, 1);
}

void errlog_socket(lua_State *L, const char *kind, const char *op, int rc,
                   const char *peer)
{
    if (rc == ERR_TIMEOUT) {
        if (peer != NULL)
            errlog_write(L, ERRLOG_ERR,
                         "lua %s socket %s timed out, when connecting to %s",
                         kind, op, peer);
        else
            errlog_write(L, ERRLOG_ERR, "lua %s socket %s timed out", kind,
                         op);
        return;
    }
    if (rc <= 0)
        return;
    /* nginx's words for a failed system call: its name, then errno and
     * the C library's text */
    if (strcmp(op, "connect") == 0 && peer != NULL
        && strncmp(peer, "unix:", 5) == 0)
        errlog_write(L, ERRLOG_CRIT, "connect() to %s failed (%d: %s)", peer,
                     rc, strerror(rc));
    else
        errlog_write(L, ERRLOG_ERR, "%s() failed (%d: %s)",
                     strcmp(op, "read") == 0 ? "recv" : op, rc, strerror(rc));
}
