#ifndef LRLS_TCP_H
#define LRLS_TCP_H

#include <lua.h>

#define TCP_MT "resty.luasocket.tcp"

/* Registers the socket's metatables in the registry. */
void tcp_open(lua_State *L);
/* Pushes a new, unconnected socket. */
int tcp_new(lua_State *L);
/* Makes the value at idx (a function, or nil) the hook called after every
 * method that waited. */
void tcp_set_clock_hook(lua_State *L, int idx);
/* Calls that hook, after a method waited: the embedding (nginx:
 * ngx.update_time) learns that time passed. Results already pushed stay. */
void tcp_after_wait(lua_State *L);

#endif
