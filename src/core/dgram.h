/* A connected datagram socket (UDP, or a unix datagram socket): one peer,
 * whole datagrams in and out, every wait bounded by a deadline. */
#ifndef LRLS_DGRAM_H
#define LRLS_DGRAM_H

#include "core/addr.h"
#include "core/io.h"

#include <stddef.h>

/* ngx_lua's largest datagram read */
#define DGRAM_MAX 8192

typedef struct {
    int fd;          /* -1: no peer set */
    addr_t local;    /* bind() address, used by the next setpeername */
    int has_local;
    char peer[120];
} dgram_t;

void dgram_init(dgram_t *d);
void dgram_close(dgram_t *d);
int dgram_bind(dgram_t *d, const char *ip);

/* Opens a socket connected to host:port or "unix:/path", closing any
 * previous one. */
int dgram_setpeer(dgram_t *d, const char *host, int port, io_ms deadline);

/* Sends one datagram; a datagram that goes out cut is ERR_PARTIAL. */
int dgram_send(dgram_t *d, const char *p, size_t n);

/* Waits for one datagram until the deadline and copies at most max bytes
 * of it into buf. */
int dgram_recv(dgram_t *d, char *buf, size_t max, io_ms deadline,
               size_t *got);

#endif
