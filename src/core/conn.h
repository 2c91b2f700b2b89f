/* A client connection: one descriptor, its receive buffer, and the reads of
 * the cosocket API (lines, sizes, to EOF, any, until a pattern) on top.
 *
 * Reads hand back a span: the bytes to return to the caller (a pointer into
 * the receive buffer, valid until the next call on the connection) and how
 * many bytes to consume once they are copied out (conn_release). */
#ifndef LRLS_CONN_H
#define LRLS_CONN_H

#include "core/addr.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/io.h"
#include "core/tls.h"
#include "core/until.h"

#include <stdint.h>

/* What outlives a socket object when its connection goes to the pool. */
typedef struct {
    int fd;
    tls_conn_t tls;  /* its TLS layer, if any */
    int rcvtimeo;    /* the SO_RCVTIMEO set on fd, ms (io_read_sleeping);
                        0: none */
} conn_link_t;

typedef struct {
    int fd;          /* -1: no connection */
    tls_conn_t tls;  /* its TLS layer, once sslhandshake ran */
    int rcvtimeo;    /* as in conn_link_t */
    io_ms drained_at; /* when a read last found the socket empty, nothing
                         sent since (conn_keepalive_state); 0: not so */
    int read_done;   /* EOF or a read error: reads say "closed" from now on */
    int write_done;  /* a send failed: sends say "closed" from now on */
    int read_waited; /* the last read found nothing yet: poll first */
    int did_read;    /* a read syscall ran since the caller last cleared it */
    int first_read;  /* the next read is its call's first: see fill() */
    rbuf_t rb;
    char *scratch;   /* reused to flatten what send() is given */
    size_t scratch_cap;
    addr_t *local;   /* bind() address, used by the next connect; NULL:
                        none. Allocated by bind (few sockets bind), kept
                        by conn_close, freed by conn_free. */
    char peer[120];  /* what tostring shows */
} conn_t;

typedef struct {
    const char *p;
    size_t n;
    size_t consume;
} conn_span_t;

void conn_init(conn_t *c);
/* Closes the descriptor and frees every allocation but the bind address;
 * the object can connect again. */
void conn_close(conn_t *c);
/* conn_close, and the bind address too: the object is done with. */
void conn_free(conn_t *c);

/* The address the next connects bind to: ERR_OK; ERR_NOMEM; or the
 * address's error, which leaves none. */
int conn_bind(conn_t *c, const char *ip);

/* Gives up the descriptor and its TLS layer without closing them (they go
 * to the pool); the connection is then closed as far as this object is
 * concerned. */
void conn_release_link(conn_t *c, conn_link_t *out);

/* Adopts a connection taken from the pool, connected to `peer`. */
void conn_adopt_link(conn_t *c, const conn_link_t *link, const char *peer);

/* Whether the idle connection is fit to pool: 0 yes, 1 the peer sent bytes
 * nobody read, ERR_CLOSED the peer closed, or an error. Never waits. */
int conn_idle_state(const conn_t *c);

/* conn_idle_state as setkeepalive asks it: no syscall right after a read
 * that found the socket empty (and nothing sent since), when the peer has
 * had no time to do anything; what it does later, the pool's check at
 * take sees (pool_take). */
int conn_keepalive_state(const conn_t *c);

/* Runs the TLS client handshake over the connection. Any failure closes
 * the connection. */
int conn_starttls(conn_t *c, tls_ctx_t *ctx, const tls_hs_t *hs,
                  io_ms deadline, long *verify_code);

/* Connects to host:port, or to "unix:/path" (port ignored), trying every
 * address of the host in order until the deadline. A connection already
 * open is closed first. */
int conn_connect(conn_t *c, const char *host, int port, io_ms deadline);

/* Sends all n bytes or fails; the deadline may be lazy (io.h). */
int conn_send(conn_t *c, const char *p, size_t n, io_ms deadline,
              size_t *sent);

/* A buffer of at least n bytes owned by the connection, for building what
 * is then sent; NULL when out of memory. */
char *conn_scratch(conn_t *c, size_t n);

/* On success the span is the result. On any error it is the partial data
 * (everything buffered), to be returned beside the error and consumed. A
 * timeout leaves the connection as it was; so does ERR_TOO_LARGE, a call
 * that needed more than rb.max bytes buffered (its partial data is the
 * rb.max bytes it held). Any other read error ends the read side
 * (read_done), as a send error ends the write side.
 *
 * The deadline bounds the whole call whatever the peer does: it is checked
 * before every read but the call's first (it was fixed just before), so
 * that a peer sending faster than we read, which never makes a read wait,
 * cannot hold the call past it. It may be lazy (io_deadline_lazy): fixed
 * at the call's first read, so that a call served from the buffer reads
 * neither the socket nor the clock. */
int conn_recv_size(conn_t *c, size_t n, io_ms deadline, conn_span_t *out);
int conn_recv_all(conn_t *c, io_ms deadline, conn_span_t *out);
int conn_recv_any(conn_t *c, size_t max, io_ms deadline, conn_span_t *out);

/* conn_recv_line past the first `scanned` buffered bytes, which hold no
 * '\n' (0: all of it): everything but a short line already buffered. */
int conn_recv_line_from(conn_t *c, size_t scanned, io_ms deadline,
                        conn_span_t *out);

/* A line read's commonest case: a short line already buffered (the next
 * of a reply's lines, of a stream of them; rbuf_short_line) as the read's
 * span, with no call. 1 when there is one; 0 otherwise, or when the read
 * side is closed. */
static inline int conn_short_line(conn_t *c, conn_span_t *out)
{
    long nl;

    if (c->fd < 0 || c->read_done
        || (nl = rbuf_short_line(&c->rb, &out->consume)) < 0)
        return 0;
    out->p = rbuf_ptr(&c->rb);
    out->n = (size_t)nl;
    return 1;
}

/* A line read (as above), inline for conn_short_line's case. */
static inline int conn_recv_line(conn_t *c, io_ms deadline, conn_span_t *out)
{
    if (conn_short_line(c, out))
        return ERR_OK;
    return conn_recv_line_from(c, 0, deadline, out);
}

/* Where one receiveuntil reader is in the stream, kept by it from call to
 * call (all zero at first): what it scanned stays scanned, even when other
 * reads take bytes in between. */
typedef struct {
    until_scan_t scan; /* relative to the byte at stream offset `base` */
    uint64_t base;
} conn_until_t;

/* Reads until the pattern. size == 0: the data before the pattern (and the
 * pattern itself when inclusive), *found = 1. size > 0: at most size bytes
 * of data before the pattern; *found says whether the pattern was reached.
 * On an error the partial data stops before a partly matched pattern, whose
 * bytes stay buffered for the next read (of any kind). `u` is this reader's
 * place, for matcher m only. */
int conn_recv_until(conn_t *c, const until_t *m, conn_until_t *u,
                    int inclusive, size_t size, io_ms deadline,
                    conn_span_t *out, int *found);

/* Ends the read side after a read whose result could not be handed over
 * (out of memory): reads say "closed" from now on. */
void conn_end_read(conn_t *c);

/* Consumes what the span said to consume and gives back memory that one
 * large read grew. */
void conn_release(conn_t *c, const conn_span_t *span);

#endif
