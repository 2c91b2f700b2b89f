/* bench/client.c: the C client of the benchmarks, the limit the Lua columns
 * are compared with (build/bench-client, built by `make bench`).
 *
 *   build/bench-client WORKLOAD MODE PORT SECONDS MAX
 *
 * Blocking syscalls, one recv per refill of a fixed buffer, no allocation
 * per step. Runs steps against build/bench-server (or redis-server) on
 * 127.0.0.1:PORT, untimed for a tenth of SECONDS and MAX (warm-up), then
 * timed until SECONDS have passed or MAX units are done (the clock is read
 * every 64 steps), and prints the line the Lua harness prints:
 *
 *   result UNITS SECONDS
 *
 * WORKLOAD, MODE: one step, its units
 *   w1_pingpong echo|redis  "PING\r\n" and its reply "+PONG\r\n" read whole,
 *                           on one connection (bench-server, redis-server);
 *                           a round trip
 *   w2_bulk bulk            65536 bytes of a stream of "FLOOD <BULK>"
 *                           received into a buffer (what receive(65536)
 *                           does); bytes
 *   w3_lines lines          one line of a stream of "LINES <LINES>", found
 *                           with memchr in a 64 KiB buffer and checked; a line
 *   w4_until until          the next chunk (65536 bytes, or less before the
 *                           boundary) of the body of "UNTIL <BODY>", the
 *                           boundary found with memmem; bytes of body
 *   w5_pool close           socket + connect + "PING\r\n" + read "+PONG\r\n"
 *                           + close; a cycle
 *   w5_pool keep            the same request and reply on one connection (the
 *                           pooled limit); a cycle
 *
 * A stream (W2, W3, W4) is checked for its length when it ends; the step
 * that meets its end closes the connection and the next one opens another.
 * BULK, LINES, BODY and the boundary are those of bench/w2_bulk.lua,
 * w3_lines.lua and w4_until.lua.
 */
#define _GNU_SOURCE /* memmem */

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BULK (512LL * 1048576)    /* w2_bulk.lua: STREAM */
#define LINES 2000000LL           /* w3_lines.lua: STREAM */
#define LINE "xxxxxxxxxxxxxx\r\n" /* w3_lines.lua: LINE, and its CRLF */
#define BODY (64LL * 1048576)     /* w4_until.lua: STREAM */
#define BOUNDARY "\r\n--bench-boundary-3f9c2a" /* w4_until.lua */
#define CHUNK 65536

static const char request[] = "PING\r\n";
static const char reply[] = "+PONG\r\n";

typedef struct {
    struct sockaddr_in sa;
    int fd;
    long long got; /* units of the current stream */
    size_t start, end, scanned; /* the data in buf, and where W4 looked */
    char buf[2 * CHUNK];
} client_t;

typedef long long (*step_fn)(client_t *c);

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
    fprintf(stderr, "bench-client: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void fail(const char *what)
{
    fprintf(stderr, "bench-client: %s\n", what);
    exit(1);
}

static int dial(const struct sockaddr_in *sa)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        die("socket");
    if (connect(fd, (const struct sockaddr *)sa, sizeof *sa) < 0)
        die("connect");
    return fd;
}

static void send_all(int fd, const char *p, size_t n)
{
    if (send(fd, p, n, MSG_NOSIGNAL) != (ssize_t)n)
        die("send");
}

/* recv into p[0..n): bytes read, 0 at the end of the stream */
static size_t recv_some(int fd, char *p, size_t n)
{
    for (;;) {
        ssize_t r = recv(fd, p, n, 0);
        if (r >= 0)
            return (size_t)r;
        if (errno != EINTR)
            die("recv");
    }
}

/* A stream request on a new connection, when there is none. */
static void open_stream(client_t *c, const char *cmd, long long n)
{
    char req[64];
    int len;

    if (c->fd >= 0)
        return;
    c->fd = dial(&c->sa);
    len = snprintf(req, sizeof req, "%s %lld\r\n", cmd, n);
    send_all(c->fd, req, (size_t)len);
    c->got = 0;
    c->start = c->end = c->scanned = 0;
}

static void end_stream(client_t *c, long long expected, const char *what)
{
    if (c->got != expected) {
        fprintf(stderr, "bench-client: a %s stream of %lld, expecting %lld\n",
                what, c->got, expected);
        exit(1);
    }
    close(c->fd);
    c->fd = -1;
}

/* One request and its reply on c->fd. */
static void ping(client_t *c)
{
    size_t got = 0;

    send_all(c->fd, request, sizeof request - 1);
    while (got < sizeof reply - 1) {
        size_t n = recv_some(c->fd, c->buf + got, sizeof c->buf - got);
        if (n == 0) {
            errno = ECONNRESET;
            die("recv");
        }
        got += n;
    }
    if (got != sizeof reply - 1 || memcmp(c->buf, reply, got) != 0)
        fail("unexpected reply");
}

static long long step_keep(client_t *c)
{
    ping(c);
    return 1;
}

static long long step_close(client_t *c)
{
    c->fd = dial(&c->sa);
    ping(c);
    close(c->fd);
    c->fd = -1;
    return 1;
}

/* W2: 65536 bytes, or what is left at the end of the stream */
static long long step_bulk(client_t *c)
{
    size_t have = 0;

    open_stream(c, "FLOOD", BULK);
    while (have < CHUNK) {
        size_t n = recv_some(c->fd, c->buf + have, CHUNK - have);
        if (n == 0) {
            c->got += (long long)have;
            end_stream(c, BULK, "FLOOD");
            return (long long)have;
        }
        have += n;
    }
    c->got += CHUNK;
    return CHUNK;
}

/* W3: one line; 0 at the end of the stream */
static long long step_line(client_t *c)
{
    for (;;) {
        char *p = c->buf + c->start;
        size_t n = c->end - c->start;
        char *nl = memchr(p, '\n', n);

        if (nl != NULL) {
            size_t len = (size_t)(nl - p) + 1;
            if (len != sizeof LINE - 1 || memcmp(p, LINE, len) != 0)
                fail("unexpected line");
            c->start += len;
            c->got++;
            return 1;
        }
        if (c->fd < 0) {
            open_stream(c, "LINES", LINES);
            continue;
        }
        memmove(c->buf, p, n);
        c->start = 0;
        c->end = n;
        n = recv_some(c->fd, c->buf + c->end, CHUNK - c->end);
        if (n == 0) {
            if (c->end != 0)
                fail("a line cut by the end of the stream");
            end_stream(c, LINES, "LINES");
            return 0;
        }
        c->end += n;
    }
}

/* W4: up to 65536 bytes of body; 0 once the boundary is found (the stream
 * is then closed) */
static long long step_until(client_t *c)
{
    static const size_t blen = sizeof BOUNDARY - 1;

    open_stream(c, "UNTIL", BODY);
    for (;;) {
        char *p = c->buf + c->start;
        size_t n = c->end - c->start;
        char *b;
        size_t from = c->scanned > c->start ? c->scanned : c->start;

        /* a boundary that starts before `scanned` would have been found */
        b = memmem(c->buf + from, c->end - from, BOUNDARY, blen);
        if (b != NULL) {
            size_t before = (size_t)(b - p);
            if (before > 0) {
                size_t take = before < CHUNK ? before : CHUNK;
                c->start += take;
                c->got += (long long)take;
                return (long long)take;
            }
            end_stream(c, BODY, "UNTIL");
            return 0;
        }
        if (n >= CHUNK + blen - 1) {
            /* no boundary can start in the first CHUNK bytes */
            c->start += CHUNK;
            c->got += CHUNK;
            c->scanned = c->end - (blen - 1);
            return CHUNK;
        }
        c->scanned = n >= blen - 1 ? c->end - (blen - 1) : c->start;
        memmove(c->buf, p, n);
        c->scanned -= c->start;
        c->start = 0;
        c->end = n;
        n = recv_some(c->fd, c->buf + c->end, sizeof c->buf - c->end);
        if (n == 0)
            fail("the end of the stream before the boundary");
        c->end += n;
    }
}

/* Runs steps until `seconds` or `max` units: the number done. */
static long long run(client_t *c, step_fn step, double seconds,
                     long long max, double *elapsed)
{
    double start = now(), t = start;
    long long done = 0;

    while (done < max && t - start < seconds) {
        int i;
        for (i = 0; i < 64 && done < max; i++)
            done += step(c);
        t = now();
    }
    *elapsed = t - start;
    return done;
}

static const struct {
    const char *workload, *mode;
    step_fn step;
    int connect_first; /* one connection for the whole run */
} modes[] = {
    {"w1_pingpong", "echo", step_keep, 1},
    {"w1_pingpong", "redis", step_keep, 1},
    {"w2_bulk", "bulk", step_bulk, 0},
    {"w3_lines", "lines", step_line, 0},
    {"w4_until", "until", step_until, 0},
    {"w5_pool", "close", step_close, 0},
    {"w5_pool", "keep", step_keep, 1},
};

int main(int argc, char **argv)
{
    static client_t c;
    double seconds, elapsed;
    long long max, done;
    int port;
    size_t i, m = sizeof modes / sizeof modes[0];

    for (i = 0; argc == 6 && i < m; i++)
        if (strcmp(argv[1], modes[i].workload) == 0 &&
            strcmp(argv[2], modes[i].mode) == 0)
            break;
    if (argc != 6 || i == m) {
        fprintf(stderr, "usage: bench-client WORKLOAD MODE PORT SECONDS MAX\n"
                "  WORKLOAD MODE: w1_pingpong echo|redis, w2_bulk bulk, "
                "w3_lines lines,\n  w4_until until, w5_pool close|keep\n");
        return 2;
    }
    port = atoi(argv[3]);
    seconds = atof(argv[4]);
    max = atoll(argv[5]);
    if (port <= 0 || port > 65535 || seconds <= 0 || max <= 0) {
        fprintf(stderr, "bench-client: bad PORT, SECONDS or MAX\n");
        return 2;
    }
    memset(&c.sa, 0, sizeof c.sa);
    c.sa.sin_family = AF_INET;
    c.sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    c.sa.sin_port = htons((unsigned short)port);
    c.fd = modes[i].connect_first ? dial(&c.sa) : -1;

    run(&c, modes[i].step, seconds / 10, max / 10 + 1, &elapsed); /* warm-up */
    done = run(&c, modes[i].step, seconds, max, &elapsed);
    printf("result %lld %.6f\n", done, elapsed);
    if (c.fd >= 0)
        close(c.fd);
    return 0;
}
