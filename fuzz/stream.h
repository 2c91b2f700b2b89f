/* Shared by until.c and reads.c: a conn_t whose peer is the other end of a
 * socketpair, written by the target itself, next to a model of what every
 * read must return.
 *
 * Everything is single-threaded. The target writes a chunk into the peer
 * end (non-blocking: what does not fit is dropped and the model records
 * only what went in), then asks for a read with a deadline that has
 * already passed. A read that has enough data returns it; one that runs
 * out reads everything the socket holds first and then reports "timeout"
 * at once instead of waiting. That makes every read boundary a choice of
 * the fuzzer and every run reproducible.
 *
 * The model only knows the bytes written and not yet consumed (`avail`)
 * and whether the peer shut its side. The reads are specified on that:
 * how much the connection has buffered versus what still sits in the
 * socket must not change any result (receiveany aside, which returns what
 * is buffered: for it only the weaker properties are checked). */
#ifndef FUZZ_STREAM_H
#define FUZZ_STREAM_H

#include "core/conn.h"
#include "core/err.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

/* For the model, the reference searches and the byte generators: the
 * fuzzer should steer by the coverage of the code under test, and the
 * comparison hooks in these loops cost more than that code. Not inlined:
 * inlined into a traced caller, they would be traced again. */
#define FUZZ_UNTRACED __attribute__((noinline, no_sanitize("coverage")))

/* The most one input writes: enough to grow the receive buffer several
 * times over (RBUF_CHUNK is 16 KiB), small enough to keep every run short. */
#define STREAM_MAX (256u * 1024)

typedef struct {
    conn_t c;
    int wfd;           /* the peer's end */
    int eof;           /* the peer shut its write side */
    int closed;        /* the model's read_done */
    char *avail;       /* written, not yet consumed by a read (in store) */
    size_t alen;
    char *store;       /* acap bytes holding avail */
    size_t acap;
    size_t written;    /* total bytes that went into the socket */
    char *line;        /* the model's line, reused from read to read */
    size_t line_cap;
} stream_t;

/* What one read must give: status, the returned bytes, how many bytes of
 * the stream it consumes. */
typedef struct {
    int rc;
    const char *p;
    size_t n;
    size_t consume;
} expect_t;

static inline void stream_check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz: %s\n", what);
        abort();
    }
}

static inline void stream_open(stream_t *s)
{
    int sv[2];

    memset(s, 0, sizeof *s);
    stream_check(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
    /* the connection's end is non-blocking, as io_connect makes it */
    stream_check(fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK)
                 == 0, "fcntl");
    stream_check(fcntl(sv[1], F_SETFL, fcntl(sv[1], F_GETFL) | O_NONBLOCK)
                 == 0, "fcntl");
    conn_init(&s->c);
    s->c.fd = sv[0];
    s->wfd = sv[1];
    /* never NULL, so that the model's memchr/memcpy always have a buffer */
    s->acap = 4096;
    s->store = s->avail = malloc(s->acap);
    stream_check(s->store != NULL, "out of memory");
}

static inline void stream_close(stream_t *s)
{
    conn_close(&s->c);
    close(s->wfd);
    free(s->store);
    free(s->line);
}

FUZZ_UNTRACED static inline void model_append(stream_t *s, const char *p,
                                              size_t n)
{
    size_t off = (size_t)(s->avail - s->store);

    if (off + s->alen + n > s->acap) {
        /* slide down first; grow only when that is not enough */
        memmove(s->store, s->avail, s->alen);
        s->avail = s->store;
    }
    if (s->alen + n > s->acap) {
        size_t cap = s->acap;
        char *q;
        while (cap < s->alen + n)
            cap *= 2;
        q = realloc(s->store, cap);
        stream_check(q != NULL, "out of memory");
        s->store = s->avail = q;
        s->acap = cap;
    }
    memcpy(s->avail + s->alen, p, n);
    s->alen += n;
}

/* Consuming only moves the window: the lines of a long stream stay
 * linear. */
static inline void model_consume(stream_t *s, size_t n)
{
    s->avail += n;
    s->alen -= n;
}

/* Writes what fits of p[0..n) into the peer end; returns how much went in.
 * Never blocks. Nothing is written after EOF or past STREAM_MAX. */
static inline size_t stream_write(stream_t *s, const char *p, size_t n)
{
    size_t done = 0;

    if (s->eof)
        return 0;
    if (n > STREAM_MAX - s->written)
        n = STREAM_MAX - s->written;
    while (done < n) {
        ssize_t w = send(s->wfd, p + done, n - done,
                         MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w <= 0)
            break; /* the socket is full: the rest is dropped */
        done += (size_t)w;
    }
    model_append(s, p, done);
    s->written += done;
    return done;
}

static inline void stream_eof(stream_t *s)
{
    if (!s->eof)
        stream_check(shutdown(s->wfd, SHUT_WR) == 0, "shutdown");
    s->eof = 1;
}

/* The deadline of a read, chosen from what the model expects of it. A
 * read the model says completes (enough data, or the peer's EOF) gets a
 * deadline far off: the connection checks its deadline before every read
 * after the first, so an expired one would cut a read that needs several
 * recv() calls. A read short of data gets a deadline already over, so
 * that it says "timeout" without waiting; it may say so before it has
 * read everything the socket holds, which stream_settle allows.
 * read_waited is cleared so that the read tries recv() before poll(). */
static inline io_ms stream_deadline(stream_t *s, int short_of_data)
{
    s->c.read_waited = 0;
    return short_of_data ? io_now() : io_now() + 10000;
}

/* What a read short of data ends with: "closed" once the peer shut its
 * side, else "timeout". */
static inline int model_short(const stream_t *s)
{
    return s->eof ? ERR_CLOSED : ERR_TIMEOUT;
}

static inline void expect_set(expect_t *e, int rc, const char *p, size_t n,
                              size_t consume)
{
    e->rc = rc;
    e->p = p;
    e->n = n;
    e->consume = consume;
}

/* Compares a read's outcome with the model's, then consumes on both sides
 * (as the binding does: it releases the span whatever the status). A read
 * the model says times out may time out sooner, with less of the stream
 * read: its partial data must then be a prefix of the model's. */
static inline void stream_settle(stream_t *s, const char *what, int rc,
                                 conn_span_t *got, const expect_t *want)
{
    size_t consume = want->consume;
    int sooner = rc == ERR_TIMEOUT && want->rc == ERR_TIMEOUT
                 && got->n <= want->n && got->consume <= want->consume;

    if (sooner) {
        if (got->n > 0 && memcmp(got->p, want->p, got->n) != 0)
            sooner = 0;
        consume = got->consume;
    }
    if (!sooner && (rc != want->rc || got->n != want->n
                    || got->consume != want->consume
                    || (want->n > 0
                        && memcmp(got->p, want->p, want->n) != 0))) {
        fprintf(stderr, "fuzz: %s: rc %d (want %d), n %zu (want %zu), "
                "consume %zu (want %zu), avail %zu, eof %d\n", what, rc,
                want->rc, got->n, want->n, got->consume, want->consume,
                s->alen, s->eof);
        abort();
    }
    if (rc != ERR_OK && rc != ERR_TIMEOUT)
        s->closed = 1;
    stream_check(s->c.read_done == s->closed, "read_done differs");
    conn_release(&s->c, got);
    model_consume(s, consume);
}

/* The model after a read error: nothing returned, nothing consumed. */
static inline int model_closed(const stream_t *s, expect_t *e)
{
    if (!s->closed)
        return 0;
    expect_set(e, ERR_CLOSED, NULL, 0, 0);
    return 1;
}

/* ---- the size read ---------------------------------------------------- */

static inline void stream_recv_size(stream_t *s, size_t n)
{
    conn_span_t got;
    expect_t want;
    int rc;

    if (!model_closed(s, &want)) {
        if (s->alen >= n)
            expect_set(&want, ERR_OK, s->avail, n, n);
        else /* everything there is, as partial data */
            expect_set(&want, model_short(s), s->avail, s->alen, s->alen);
    }
    rc = conn_recv_size(&s->c, n, stream_deadline(s, want.rc == ERR_TIMEOUT),
                        &got);
    stream_settle(s, "size read", rc, &got, &want);
}

/* ---- the line read ---------------------------------------------------- */

/* The line the model expects, into s->line: the bytes before the first
 * '\n' with every '\r' among them dropped, as ngx_lua reads a line; the
 * '\n' is consumed. Short of a '\n': the bytes so far, '\r' dropped, all
 * consumed. */
FUZZ_UNTRACED static inline void model_line(stream_t *s, expect_t *want)
{
    const char *nl = memchr(s->avail, '\n', s->alen);
    size_t end = nl ? (size_t)(nl - s->avail) : s->alen, i, k = 0;

    if (end + 1 > s->line_cap) {
        free(s->line);
        s->line_cap = end + 1;
        s->line = malloc(s->line_cap);
        stream_check(s->line != NULL, "out of memory");
    }
    for (i = 0; i < end; i++)
        if (s->avail[i] != '\r')
            s->line[k++] = s->avail[i];
    expect_set(want, nl ? ERR_OK : model_short(s), s->line, k,
               nl ? end + 1 : end);
}

static inline void stream_recv_line(stream_t *s)
{
    conn_span_t got;
    expect_t want;
    int rc;

    if (!model_closed(s, &want))
        model_line(s, &want);
    rc = conn_recv_line(&s->c, stream_deadline(s, want.rc == ERR_TIMEOUT),
                        &got);
    stream_settle(s, "recv_line", rc, &got, &want);
}

#endif
