/* The encoders and digests of ngx_lua for plain Lua: base64, md5, sha1,
 * hmac_sha1, crc32. */
#ifndef LRLS_CODEC_H
#define LRLS_CODEC_H

#include <lua.h>

/* Pushes the table of the functions, named as in ngx. */
int codec_open(lua_State *L);

#endif
