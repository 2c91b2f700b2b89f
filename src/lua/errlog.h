/* The error log of native sockets: where their failures are told, in the
 * lines ngx_lua writes for a cosocket's (lua_socket_log_errors). The Lua
 * front points it at nginx's error log inside nginx; in plain Lua nothing
 * is written unless asked. */
#ifndef LRLS_ERRLOG_H
#define LRLS_ERRLOG_H

#include <lua.h>

/* nginx's levels, as ngx.CRIT and ngx.ERR */
#define ERRLOG_CRIT 3
#define ERRLOG_ERR 4

/* Makes the value at idx (a function(level, text), or nil) the hook. */
void errlog_set_hook(lua_State *L, int idx);

/* Calls the hook, if any, with level and the text fmt makes (the formats
 * of lua_pushfstring). An error inside the hook is dropped: a failure's
 * report must not become another failure. The stack is left as it was. */
void errlog_write(lua_State *L, int level, const char *fmt, ...);

/* A failed socket operation: kind "tcp" or "udp", op "connect", "send" or
 * "read", rc its status (errno, or ERR_TIMEOUT), peer "host:port" or
 * "unix:path" (connect only). Statuses ngx_lua does not log (the peer's
 * EOF, argument errors) write nothing. */
void errlog_socket(lua_State *L, const char *kind, const char *op, int rc,
                   const char *peer);

#endif
