/* Host/port and unix-path addresses, and name resolution that honours the
 * caller's deadline even when the system resolver hangs. */
#ifndef LRLS_ADDR_H
#define LRLS_ADDR_H

#include "core/io.h"

#include <sys/socket.h>

typedef struct {
    struct sockaddr_storage ss;
    socklen_t len;
} addr_t;

typedef struct {
    addr_t *v;
    int n;
} addr_list_t;

#define ADDR_UNIX_PREFIX "unix:"

/* True when `host` names a unix socket ("unix:/path", any case). */
int addr_is_unix(const char *host);
/* What nginx's URL parser objects to in a host (len bytes), in its words;
 * NULL when the host is acceptable. An IPv6 literal needs its brackets
 * there. */
const char *addr_parse_error(const char *host, size_t len);

/* Fills *out from "unix:/path". */
int addr_from_unix(const char *host, addr_t *out);

/* Fills *out from a numeric IPv4/IPv6 literal with no port (for bind);
 * returns EINVAL-like ERR_RESOLVE when it is not one. */
int addr_from_ip(const char *ip, addr_t *out);

/* Every address of host:port, in the resolver's order. IPv6 literals may
 * come in brackets. Numeric hosts never touch the resolver; names are looked
 * up on a helper thread so that a hung resolver costs at most the deadline.
 * The caller frees the list with addr_list_free. */
int addr_resolve(const char *host, int port, int socktype, io_ms deadline,
                 addr_list_t *out);

void addr_list_free(addr_list_t *list);

/* "1.2.3.4:80", "[::1]:80" or "unix:/path" into buf. */
void addr_format(const struct sockaddr *sa, char *buf, size_t len);

/* Copies such a name into buf (len bytes), cut if it must be; without
 * snprintf's formatting cost, as pooling copies one per request. */
void addr_copy_name(char *buf, size_t len, const char *name);

#endif
