/* The reads of src/core/conn.c against a peer that has sent more than the
 * call can take in before its deadline: every read form stops at the
 * deadline after one read (the peer's bytes never make a read wait, so the
 * check before each read is what stops it), keeps the connection and
 * consumes only what it returns as partial data; a call served from the
 * buffer reads neither the socket nor the clock, so a passed deadline does
 * not fail it. Against a peer that sends more than max_buffer: every read
 * form fails with ERR_TOO_LARGE and max_buffer bytes of partial data, and
 * the stream reads on from there; a size read buffers at most one chunk
 * past its size. Connections are non-blocking socketpairs whose other end
 * plays the peer; a deadline already passed stands for a peer faster than
 * the reader, without depending on the machine's speed. */
#include "check.h"
#include "core/conn.h"
#include "core/err.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CHUNK 1024

/* a connection whose peer has queued n bytes of `fill` (then `tail`), all
 * of it readable without waiting */
static int try_setup(conn_t *c, int *peer, size_t n, char fill,
                     const char *tail)
{
    char buf[4096];
    int sv[2], size = 1 << 20;

    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
        return -1;
    setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);
    fcntl(sv[1], F_SETFL, fcntl(sv[1], F_GETFL) | O_NONBLOCK);
    memset(buf, fill, sizeof buf);
    while (n > 0) {
        size_t k = n < sizeof buf ? n : sizeof buf;
        ssize_t w = send(sv[1], buf, k, 0);
        if (w <= 0)
            return -1; /* the socket pair holds less than the test needs */
        n -= (size_t)w;
    }
    if (tail != NULL && send(sv[1], tail, strlen(tail), 0) != (ssize_t)strlen(tail))
        return -1;
    conn_init(c);
    conn_adopt_link(c, &(conn_link_t){sv[0], {0}, 0}, "peer");
    c->rb.chunk = CHUNK;
    /* as after a read that filled the buffer: the next one reads at once */
    c->read_waited = 0;
    *peer = sv[1];
    return 0;
}

/* the same, or the end of the test: nothing else can be checked */
static void setup(conn_t *c, int *peer, size_t n, char fill, const char *tail)
{
    if (try_setup(c, peer, n, fill, tail) != 0) {
        printf("not ok - a socket pair holding %lu bytes\n", (unsigned long)n);
        printf("0 passed, 1 failed\n");
        exit(1);
    }
}

/* the outcome every read form must have: a timeout after one read, the
 * connection kept, and the partial data all that is consumed */
static void check_timeout(const char *what, conn_t *c, int rc,
                          const conn_span_t *s, uint64_t before)
{
    char name[128];

    snprintf(name, sizeof name, "%s: timeout", what);
    CHECK(name, rc == ERR_TIMEOUT);
    snprintf(name, sizeof name, "%s: at most one read past the deadline", what);
    CHECK(name, s->n > 0 && s->n <= CHUNK && c->rb.cap <= 2 * CHUNK);
    snprintf(name, sizeof name, "%s: the connection stays open", what);
    CHECK(name, !c->read_done && c->fd >= 0);
    conn_release(c, s);
    snprintf(name, sizeof name, "%s: only the partial data consumed", what);
    CHECK(name, c->rb.offset - before == s->consume && s->consume == s->n);
}

static void deadline_passed(void)
{
    static const char pattern[] = "--boundary--";
    conn_t c;
    conn_span_t s;
    until_t *m = until_new(pattern, sizeof pattern - 1);
    conn_until_t at;
    io_ms past = io_now() - 1;
    int peer, found, rc;
    uint64_t before;

    CHECK("matcher", m != NULL);
    setup(&c, &peer, 200000, 'x', NULL);

    before = c.rb.offset;
    check_timeout("line", &c, conn_recv_line(&c, past, &s), &s, before);
    before = c.rb.offset;
    check_timeout("all", &c, conn_recv_all(&c, past, &s), &s, before);
    before = c.rb.offset;
    check_timeout("size", &c, conn_recv_size(&c, (size_t)1 << 40, past, &s),
                  &s, before);
    memset(&at, 0, sizeof at);
    before = c.rb.offset;
    rc = conn_recv_until(&c, m, &at, 0, 0, past, &s, &found);
    check_timeout("until", &c, rc, &s, before);
    before = c.rb.offset;
    rc = conn_recv_until(&c, m, &at, 0, (size_t)1 << 40, past, &s, &found);
    check_timeout("until with a size", &c, rc, &s, before);

    /* receiveany makes one read: it is served, deadline or not */
    rc = conn_recv_any(&c, 100, past, &s);
    CHECK("any: one read", rc == ERR_OK && s.n == 100);
    conn_release(&c, &s);

    conn_close(&c);
    close(peer);
    free(m);
}

static void served_from_buffer(void)
{
    conn_t c;
    conn_span_t s;
    int peer, rc;

    setup(&c, &peer, 0, 'x', "one\ntwo\nthree\n");
    rc = conn_recv_line(&c, io_now() + 5000, &s);
    CHECK("first line read", rc == ERR_OK && s.n == 3
                                 && memcmp(s.p, "one", 3) == 0);
    conn_release(&c, &s);
    /* the rest is buffered: the deadline plays no part */
    rc = conn_recv_line(&c, io_now() - 1000, &s);
    CHECK("buffered line served", rc == ERR_OK && s.n == 3
                                      && memcmp(s.p, "two", 3) == 0);
    conn_release(&c, &s);
    rc = conn_recv_size(&c, 5, io_now() - 1000, &s);
    CHECK("buffered size served", rc == ERR_OK && s.n == 5
                                      && memcmp(s.p, "three", 5) == 0);
    conn_release(&c, &s);
    conn_close(&c);
    close(peer);
}

/* the outcome of a read that reached max_buffer: the error, the max bytes
 * it held as partial data, no more memory than that, the connection kept */
static void check_too_large(const char *what, conn_t *c, int rc,
                            const conn_span_t *s, size_t partial)
{
    char name[128];

    snprintf(name, sizeof name, "%s: too large", what);
    CHECK(name, rc == ERR_TOO_LARGE);
    snprintf(name, sizeof name, "%s: the partial data", what);
    CHECK(name, s->n == partial && s->consume == partial);
    snprintf(name, sizeof name, "%s: memory within max_buffer", what);
    CHECK(name, c->rb.cap <= c->rb.max);
    snprintf(name, sizeof name, "%s: the connection stays open", what);
    CHECK(name, !c->read_done && c->fd >= 0);
    conn_release(c, s);
}

static void max_buffer(void)
{
    static const char pattern[] = "--boundary--";
    char big[5000];
    conn_t c;
    conn_span_t s;
    until_t *m = until_new(pattern, sizeof pattern - 1), *longer;
    conn_until_t at;
    io_ms later = io_now() + 5000;
    int peer, found, rc;

    /* 6000 bytes of a line, then a short one */
    CHECK("matcher", m != NULL);
    setup(&c, &peer, 6000, 'x', "\nrest\n");
    c.rb.max = 4096;
    check_too_large("line", &c, conn_recv_line(&c, later, &s), &s, 4096);
    /* the rest of the long line is the next line */
    rc = conn_recv_line(&c, later, &s);
    CHECK("line: read on", rc == ERR_OK && s.n == 6000 - 4096);
    conn_release(&c, &s);
    rc = conn_recv_line(&c, later, &s);
    CHECK("line: and on", rc == ERR_OK && s.n == 4 && memcmp(s.p, "rest", 4) == 0);
    conn_release(&c, &s);
    conn_close(&c);
    close(peer);

    setup(&c, &peer, 100000, 'x', NULL);
    c.rb.max = 4096;
    check_too_large("all", &c, conn_recv_all(&c, later, &s), &s, 4096);
    check_too_large("size", &c, conn_recv_size(&c, 4097, later, &s), &s, 4096);
    rc = conn_recv_size(&c, 4096, later, &s);
    CHECK("a size of max_buffer is read", rc == ERR_OK && s.n == 4096);
    conn_release(&c, &s);
    memset(&at, 0, sizeof at);
    check_too_large("until", &c, conn_recv_until(&c, m, &at, 0, 0, later, &s, &found),
                    &s, 4096);
    check_too_large("until with a size",
                    &c, conn_recv_until(&c, m, &at, 0, 5000, later, &s, &found),
                    &s, 4096);
    /* a pattern longer than max_buffer, matched in part by everything held:
     * the held bytes go out too, or every call to come would fail alike */
    memset(big, 'x', sizeof big);
    longer = until_new(big, sizeof big);
    memset(&at, 0, sizeof at);
    CHECK("long pattern", longer != NULL);
    check_too_large("until a pattern longer than max_buffer", &c,
                    conn_recv_until(&c, longer, &at, 0, 0, later, &s, &found),
                    &s, 4096);
    free(longer);
    conn_close(&c);
    close(peer);

    /* a partial match is kept for the next call, as after a timeout */
    setup(&c, &peer, 4090, 'x', "--boun");
    c.rb.max = 4096;
    memset(&at, 0, sizeof at);
    check_too_large("until keeps a partial match", &c,
                    conn_recv_until(&c, m, &at, 0, 0, later, &s, &found), &s,
                    4090);
    CHECK("the partial match stays buffered",
          rbuf_len(&c.rb) == 6 && memcmp(rbuf_ptr(&c.rb), "--boun", 6) == 0);
    conn_close(&c);
    close(peer);
    free(m);
}

/* SPEC 7: a size read never buffers more than the size plus one chunk */
static void size_bound(void)
{
    conn_t c;
    conn_span_t s;
    size_t n;
    int peer, rc, ok = 1;

    setup(&c, &peer, 300000, 'x', NULL);
    for (n = 1000; n < 100000 && ok; n = n * 3 / 2) {
        rc = conn_recv_size(&c, n, io_now() + 5000, &s);
        ok = rc == ERR_OK && s.n == n && rbuf_len(&c.rb) <= n + CHUNK;
        conn_release(&c, &s);
    }
    CHECK("sizes: at most one chunk past the size", ok);
    conn_close(&c);
    close(peer);
}

int main(void)
{
    deadline_passed();
    served_from_buffer();
    max_buffer();
    size_bound();
    return check_report("conn reads: deadlines, max_buffer");
}
