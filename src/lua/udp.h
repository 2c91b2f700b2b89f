#ifndef LRLS_UDP_H
#define LRLS_UDP_H

#include <lua.h>

#define UDP_MT "resty.luasocket.udp"

void udp_open(lua_State *L);
int udp_new(lua_State *L);

#endif
