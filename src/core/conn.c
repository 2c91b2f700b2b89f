#include "core/conn.h"
#include "core/err.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void conn_init(conn_t *c)
{
    memset(c, 0, sizeof *c);
    c->fd = -1;
    rbuf_init(&c->rb);
}

void conn_close(conn_t *c)
{
    tls_conn_close(&c->tls);
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    c->rcvtimeo = 0;
    c->drained_at = 0;
    c->read_done = 0;
    c->write_done = 0;
    /* a closed (or pooled) socket may wait long for its collector, which
     * cannot see this memory: give it all back now */
    rbuf_free(&c->rb);
    free(c->scratch);
    c->scratch = NULL;
    c->scratch_cap = 0;
}

void conn_release_link(conn_t *c, conn_link_t *out)
{
    out->fd = c->fd;
    out->tls = c->tls;
    out->rcvtimeo = c->rcvtimeo;
    memset(&c->tls, 0, sizeof c->tls);
    c->fd = -1;
    conn_close(c);
}

void conn_adopt_link(conn_t *c, const conn_link_t *link, const char *peer)
{
    conn_close(c);
    c->fd = link->fd;
    c->tls = link->tls;
    c->rcvtimeo = link->rcvtimeo;
    c->read_waited = 1;
    addr_copy_name(c->peer, sizeof c->peer, peer);
}

int conn_idle_state(const conn_t *c)
{
    return c->tls.ssl ? tls_idle_state(c->tls.ssl, c->fd) : io_peek(c->fd);
}

/* How long after a read that found the socket empty setkeepalive still
 * trusts it, in ms of io_now() (whose tick may come in between). Within
 * it, nginx's event loop could not have run either. */
#define CONN_DRAINED_MS 1

int conn_keepalive_state(const conn_t *c)
{
    if (c->drained_at != 0 && io_now() - c->drained_at <= CONN_DRAINED_MS)
        return 0;
    return conn_idle_state(c);
}

int conn_starttls(conn_t *c, tls_ctx_t *ctx, const tls_hs_t *hs,
                  io_ms deadline, long *verify_code)
{
    int rc = tls_handshake(ctx, c->fd, hs, deadline, &c->tls, verify_code);
    if (rc != ERR_OK)
        conn_close(c);
    return rc;
}

void conn_free(conn_t *c)
{
    conn_close(c);
    free(c->local);
    c->local = NULL;
}

int conn_bind(conn_t *c, const char *ip)
{
    addr_t a;
    /* nginx's address parser takes IPv6 literals without brackets only */
    int rc = ip[0] == '[' ? ERR_RESOLVE : addr_from_ip(ip, &a);

    if (rc != ERR_OK) {
        free(c->local);
        c->local = NULL;
        return rc;
    }
    if (c->local == NULL && (c->local = malloc(sizeof *c->local)) == NULL)
        return ERR_NOMEM;
    *c->local = a;
    return ERR_OK;
}

int conn_connect(conn_t *c, const char *host, int port, io_ms deadline)
{
    addr_list_t list;
    addr_t un;
    int i, rc;

    conn_close(c);
    if (addr_is_unix(host)) {
        rc = addr_from_unix(host, &un);
        if (rc != ERR_OK)
            return rc;
        list.v = &un;
        list.n = 1;
    } else {
        rc = addr_resolve(host, port, SOCK_STREAM, deadline, &list);
        if (rc != ERR_OK)
            return rc;
    }
    for (i = 0; i < list.n; i++) {
        const addr_t *a = &list.v[i];
        /* a local address of another family fails the connect, as in nginx */
        rc = io_connect((const struct sockaddr *)&a->ss, a->len,
                        c->local ? (const struct sockaddr *)&c->local->ss
                                 : NULL,
                        c->local ? c->local->len : 0, deadline, &c->fd);
        if (rc == ERR_OK) {
            /* a new connection is usually asked a question first: its
             * first read polls before it reads */
            c->read_waited = 1;
            addr_format((const struct sockaddr *)&a->ss, c->peer,
                        sizeof c->peer);
            /* request/response traffic: never wait for Nagle, as nginx
             * sets tcp_nodelay on its upstream connections */
            if (a->ss.ss_family != AF_UNIX)
                io_setopt_int(c->fd, IPPROTO_TCP, TCP_NODELAY, 1);
            break;
        }
        if (rc == ERR_TIMEOUT)
            break;
    }
    if (list.v != &un)
        addr_list_free(&list);
    return rc;
}

int conn_send(conn_t *c, const char *p, size_t n, io_ms deadline,
              size_t *sent)
{
    int rc;

    *sent = 0;
    c->drained_at = 0; /* an answer may be on its way */
    if (c->fd < 0 || c->write_done)
        return ERR_CLOSED;
    rc = c->tls.ssl ? tls_write_all(c->tls.ssl, c->fd, p, n, deadline, sent)
                    : io_send_all(c->fd, p, n, deadline, sent);
    if (rc != ERR_OK)
        c->write_done = 1;
    return rc;
}

char *conn_scratch(conn_t *c, size_t n)
{
    if (n > c->scratch_cap) {
        char *p = realloc(c->scratch, n);
        if (p == NULL)
            return NULL;
        c->scratch = p;
        c->scratch_cap = n;
    }
    return c->scratch;
}

/* Whether the deadline has passed, asked before a read. The wait before a
 * read is where io_read and tls_read check it, but a peer that keeps the
 * socket full never makes them wait. Once per syscall at most: not before
 * a call's first read (its deadline was computed just before), nor before
 * a plain read that polls first (io_wait reads the clock then). */
static int past_deadline(conn_t *c, io_ms deadline)
{
    if (c->first_read) {
        c->first_read = 0;
        return 0;
    }
    if (c->tls.ssl == NULL && c->read_waited)
        return 0;
    return io_now() >= deadline;
}

/* One read of a plain connection. A call's first wait (sleep_ms, the
 * call's whole timeout, > 0) sleeps in recv() itself: one syscall where
 * poll + recv take two; any other read is io_read's. A read that leaves
 * the socket empty is stamped for conn_keepalive_state, with the time the
 * call's deadline was fixed at when that was just now (its first read):
 * a stamp from before the read only ever makes setkeepalive check the
 * socket where it could have trusted the stamp, and saves a clock read
 * per call. */
static int plain_read(conn_t *c, char *p, size_t space, io_ms deadline,
                      long sleep_ms, size_t *got)
{
    int rc = EAGAIN;

    if (sleep_ms > 0 && c->read_waited) {
        rc = io_read_sleeping(c->fd, p, space, sleep_ms, &c->rcvtimeo, got);
        if (rc == ERR_OK && *got == space)
            c->read_waited = 0;
        else if (rc == EAGAIN && io_now() >= deadline)
            rc = ERR_TIMEOUT;
    }
    if (rc == EAGAIN)
        rc = io_read(c->fd, p, space, deadline, got, &c->read_waited);
    c->drained_at = rc != ERR_OK || *got == space ? 0
                    : sleep_ms > 0 ? deadline - sleep_ms : io_now();
    return rc;
}

/* One read into the buffer, of at least `want` bytes of room and at most
 * `most` bytes, and never past the buffer's max: a call that needs more
 * than max bytes buffered fails with ERR_TOO_LARGE. */
static int fill(conn_t *c, size_t want, size_t most, io_ms *lazy)
{
    size_t got, len = rbuf_len(&c->rb), space;
    long sleep_ms = io_deadline_lazy_ms(*lazy);
    io_ms deadline = io_deadline_fix(lazy);
    int rc;

    if (len >= c->rb.max)
        return ERR_TOO_LARGE;
    if (want > c->rb.max - len)
        want = c->rb.max - len;
    if (most > c->rb.max - len)
        most = c->rb.max - len;
    if (past_deadline(c, deadline))
        return ERR_TIMEOUT;
    rc = rbuf_reserve(&c->rb, want);
    if (rc != ERR_OK)
        return rc;
    space = rbuf_space(&c->rb) < most ? rbuf_space(&c->rb) : most;
    c->did_read = 1;
    rc = c->tls.ssl ? tls_read(c->tls.ssl, c->fd, rbuf_tail(&c->rb), space,
                               deadline, &got)
                    : plain_read(c, rbuf_tail(&c->rb), space, deadline,
                                 sleep_ms, &got);
    if (rc == ERR_OK)
        rbuf_commit(&c->rb, got);
    return rc;
}

static void span_set(conn_span_t *s, const char *p, size_t n, size_t consume)
{
    s->p = p;
    s->n = n;
    s->consume = consume;
}

/* A read that failed: a timeout leaves the connection as it was, anything
 * else ends its read side, as ngx_lua does. Reaching max_buffer (which
 * ngx_lua does not have) is like a timeout: the bytes are there, the call
 * could not hold them, and the caller may read on from the partial data
 * it got. */
static int failed(conn_t *c, int rc)
{
    if (rc != ERR_TIMEOUT && rc != ERR_TOO_LARGE)
        c->read_done = 1;
    return rc;
}

/* A failed read whose partial data is everything buffered. */
static int partial(conn_t *c, int rc, conn_span_t *out)
{
    span_set(out, rbuf_ptr(&c->rb), rbuf_len(&c->rb), rbuf_len(&c->rb));
    return failed(c, rc);
}

static int check_open(conn_t *c, conn_span_t *out)
{
    span_set(out, NULL, 0, 0);
    c->first_read = 1;
    return c->fd < 0 || c->read_done ? ERR_CLOSED : ERR_OK;
}

int conn_recv_size(conn_t *c, size_t n, io_ms deadline, conn_span_t *out)
{
    int rc = check_open(c, out);
    if (rc != ERR_OK)
        return rc;
    while (rbuf_len(&c->rb) < n) {
        size_t have = rbuf_len(&c->rb), need = n - have;
        /* room grows with what arrives, not with what was asked for: a
         * huge size costs memory only once the peer really sends it */
        size_t room = have > c->rb.chunk ? have : c->rb.chunk;
        /* and no read brings more than one chunk past the size (SPEC 7) */
        size_t most = need > SIZE_MAX - c->rb.chunk ? SIZE_MAX
                                                    : need + c->rb.chunk;
        rc = fill(c, need < room ? need : room, most, &deadline);
        if (rc != ERR_OK)
            return partial(c, rc, out);
    }
    span_set(out, rbuf_ptr(&c->rb), n, n);
    return ERR_OK;
}

int conn_recv_line_from(conn_t *c, size_t scanned, io_ms deadline,
                        conn_span_t *out)
{
    long nl;
    int rc = check_open(c, out);

    if (rc != ERR_OK)
        return rc;
    while ((nl = rbuf_find_line(&c->rb, scanned)) < 0) {
        scanned = rbuf_len(&c->rb);
        rc = fill(c, c->rb.chunk, SIZE_MAX, &deadline);
        if (rc != ERR_OK) {
            size_t n = rbuf_len(&c->rb);
            span_set(out, rbuf_ptr(&c->rb), rbuf_strip_cr(&c->rb, n), n);
            return failed(c, rc);
        }
    }
    span_set(out, rbuf_ptr(&c->rb), rbuf_strip_cr(&c->rb, (size_t)nl),
             (size_t)nl + 1);
    return ERR_OK;
}

int conn_recv_all(conn_t *c, io_ms deadline, conn_span_t *out)
{
    int rc = check_open(c, out);
    if (rc != ERR_OK)
        return rc;
    for (;;) {
        size_t len = rbuf_len(&c->rb);
        rc = fill(c, len > c->rb.chunk ? len : c->rb.chunk, SIZE_MAX,
                  &deadline);
        if (rc == ERR_CLOSED)
            break;
        if (rc != ERR_OK)
            return partial(c, rc, out);
    }
    /* EOF is this read's success: the read side stays open, and the next
     * read meets EOF again, as with ngx_lua */
    span_set(out, rbuf_ptr(&c->rb), rbuf_len(&c->rb), rbuf_len(&c->rb));
    return ERR_OK;
}

int conn_recv_any(conn_t *c, size_t max, io_ms deadline, conn_span_t *out)
{
    size_t n;
    int rc = check_open(c, out);

    if (rc != ERR_OK)
        return rc;
    if (rbuf_len(&c->rb) == 0) {
        rc = fill(c, c->rb.chunk, SIZE_MAX, &deadline);
        if (rc != ERR_OK)
            return partial(c, rc, out);
    }
    n = rbuf_len(&c->rb);
    if (n > max)
        n = max;
    span_set(out, rbuf_ptr(&c->rb), n, n);
    return ERR_OK;
}

int conn_recv_until(conn_t *c, const until_t *m, conn_until_t *u,
                    int inclusive, size_t size, io_ms deadline,
                    conn_span_t *out, int *found)
{
    uint64_t gone = c->rb.offset - u->base;
    int rc = check_open(c, out);

    *found = 0;
    if (rc != ERR_OK)
        return rc;
    /* what was consumed since this reader's last call, by itself or by any
     * other read, is no longer in the buffer */
    until_drop(m, &u->scan, gone < u->scan.pos ? (size_t)gone : u->scan.pos);
    u->base = c->rb.offset;
    for (;;) {
        const char *data = rbuf_ptr(&c->rb);
        size_t len = rbuf_len(&c->rb);
        int hit = until_find(m, &u->scan, data, len);
        size_t at = until_start(&u->scan);

        if (hit) {
            /* like ngx_lua, a sized read stops once it has size bytes, even
             * when the pattern starts right after them */
            if (size > 0 && at >= size) {
                span_set(out, data, size, size);
                return ERR_OK;
            }
            *found = 1;
            span_set(out, data, inclusive ? at + m->len : at, at + m->len);
            return ERR_OK;
        }
        if (size > 0 && at >= size) {
            span_set(out, data, size, size);
            return ERR_OK;
        }
        rc = fill(c, len > c->rb.chunk ? len : c->rb.chunk, SIZE_MAX,
                  &deadline);
        if (rc != ERR_OK) {
            /* a partial match that fills the whole buffer (a pattern
             * longer than max_buffer) would fail every call to come:
             * those bytes go out too */
            if (rc == ERR_TOO_LARGE && at == 0)
                at = len;
            span_set(out, rbuf_ptr(&c->rb), at, at);
            return failed(c, rc);
        }
    }
}

void conn_end_read(conn_t *c)
{
    c->read_done = 1;
}

void conn_release(conn_t *c, const conn_span_t *span)
{
    rbuf_consume(&c->rb, span->consume);
    rbuf_trim(&c->rb);
}
