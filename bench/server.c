/* bench/server.c: the benchmarks' server (build/bench-server, `make bench`).
 *
 *   build/bench-server [--port N] [--max-seconds S]
 *
 * Listens on 127.0.0.1 (port 0, the default, = an ephemeral port), prints
 * `port N` and a newline on stdout once it accepts, and serves every
 * connection from one thread with epoll, so that thousands of short
 * connections a second cost it as little as possible. Exits on SIGTERM or
 * SIGINT, and by itself after --max-seconds (default 600).
 *
 * Protocol: lines ending in "\n" (a "\r" before it is ignored), one reply
 * each:
 *
 *   PING      -> "+PONG\r\n"
 *   FLOOD N   -> N bytes of "x" (a counter stamped every 4 KiB), then the
 *                connection is closed (W2, W6)
 *   LINES N   -> N lines of LINE_LEN bytes, "xxxxxxxxxxxxxx\r\n" (14 x's and
 *                CRLF), then the connection is closed (W3)
 *   UNTIL N   -> N bytes of text (lines of BODY_LINE_LEN bytes: 62 printable
 *                bytes and CRLF, the last line cut where N ends; the counter
 *                stamped over the first 16 of every 4 KiB), then the
 *                boundary "\r\n--" BOUNDARY, then the connection is
 *                closed (W4)
 *   other     -> "-ERR unknown command\r\n"
 *
 * N <= 4 GiB (LINES: N lines of that many bytes at most). Workloads that
 * need more add a command to serve_line(). A reply is written at once or the
 * connection is dropped: the clients of the benchmarks read every reply
 * before the next request. The streams (FLOOD, LINES, UNTIL) are written
 * with blocking sends of 256 KiB (each bounded by a 10 s send timeout), few
 * system calls per MiB; nobody else is served meanwhile, which suits the
 * benchmarks: their columns run one after another.
 */
#define _GNU_SOURCE /* accept4 */

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX_LEN 256
#define STREAM_CHUNK (256 * 1024)
#define STREAM_MAX (4ULL << 30)
#define EVENTS 256

/* LINES: every line; UNTIL: the text of the body and the boundary that
 * ends it. Their lengths divide STREAM_CHUNK, so that a chunk of repeated
 * lines streams as one unbroken text. */
#define LINE "xxxxxxxxxxxxxx\r\n"
#define LINE_LEN (sizeof LINE - 1)
#define BODY_LINE \
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\r\n"
#define BODY_LINE_LEN (sizeof BODY_LINE - 1)
#define BOUNDARY "\r\n--bench-boundary-3f9c2a"

typedef struct {
    int fd;
    size_t len;                /* bytes of an unfinished line in `line` */
    char line[LINE_MAX_LEN];
} client_t;

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void usage(void)
{
    fprintf(stderr, "usage: bench-server [--port N] [--max-seconds S]\n");
    exit(2);
}

static int send_all(int fd, const char *p, size_t n)
{
    ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
    return w == (ssize_t)n ? 0 : -1;
}

/* `n` from the decimal digits text[0..len), at most `max`: 0, or -1 */
static int parse_count(const char *text, size_t len, unsigned long long max,
                       unsigned long long *n)
{
    size_t i;

    *n = 0;
    if (len == 0 || len > 10)
        return -1;
    for (i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            return -1;
        *n = *n * 10 + (unsigned long long)(text[i] - '0');
    }
    return *n <= max ? 0 : -1;
}

/* A chunk of STREAM_CHUNK bytes of `unit` repeated (its length divides
 * STREAM_CHUNK), made on first use. */
static char *chunk_of(char *chunk, const char *unit, size_t len)
{
    size_t i;

    if (chunk[0] == '\0')
        for (i = 0; i < STREAM_CHUNK; i += len)
            memcpy(chunk + i, unit, len);
    return chunk;
}

/* A blocking send of p[0..n): 0, or -1 when the client went away or the
 * send timed out. */
static int send_blocking(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR && !stopping)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* FLOOD, LINES and UNTIL: the connection turns blocking (with a send
 * timeout) and gets `n` bytes of `chunk` repeated, then `tail`; always -1:
 * the connection is closed after them. */
static int stream(client_t *c, char *chunk, unsigned long long n,
                  const char *tail, int stamped)
{
    struct timeval tv = {10, 0};
    int fl = fcntl(c->fd, F_GETFL);
    unsigned long long count = 0;

    if (fl < 0 || fcntl(c->fd, F_SETFL, fl & ~O_NONBLOCK) < 0 ||
        setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) < 0)
        return -1;
    while (n > 0) {
        size_t want = n < STREAM_CHUNK ? (size_t)n : STREAM_CHUNK, i;
        /* FLOOD and UNTIL: 16 hex digits of a counter every 4 KiB (in
         * UNTIL's body, over the start of a line), so that no two
         * receives of the stream are equal strings. Lua 5.1 and LuaJIT intern every string: a
         * stream of one repeated chunk lets them find each 64 KiB read
         * already made and skip its copy, which Lua 5.2+ (long strings are
         * not interned) cannot. */
        for (i = 0; stamped && i + 16 <= want; i += 4096) {
            char hex[17];
            snprintf(hex, sizeof hex, "%016llx", count++);
            memcpy(chunk + i, hex, 16);
        }
        if (send_blocking(c->fd, chunk, want) < 0)
            return -1;
        n -= want;
    }
    if (tail != NULL)
        send_blocking(c->fd, tail, strlen(tail));
    return -1;
}

/* One request line, without its end of line: 0, or -1 to drop the
 * connection. */
static int serve_line(client_t *c, const char *line, size_t len)
{
    static const char pong[] = "+PONG\r\n";
    static const char unknown[] = "-ERR unknown command\r\n";
    static char flood_chunk[STREAM_CHUNK], lines_chunk[STREAM_CHUNK],
        body_chunk[STREAM_CHUNK];
    unsigned long long n;

    if (len == 4 && memcmp(line, "PING", 4) == 0)
        return send_all(c->fd, pong, sizeof pong - 1);
    if (len > 6 && memcmp(line, "FLOOD ", 6) == 0) {
        if (parse_count(line + 6, len - 6, STREAM_MAX, &n) < 0)
            return -1;
        return stream(c, chunk_of(flood_chunk, "x", 1), n, NULL, 1);
    }
    if (len > 6 && memcmp(line, "LINES ", 6) == 0) {
        if (parse_count(line + 6, len - 6, STREAM_MAX / LINE_LEN, &n) < 0)
            return -1;
        return stream(c, chunk_of(lines_chunk, LINE, LINE_LEN), n * LINE_LEN,
                      NULL, 0);
    }
    if (len > 6 && memcmp(line, "UNTIL ", 6) == 0) {
        if (parse_count(line + 6, len - 6, STREAM_MAX, &n) < 0)
            return -1;
        return stream(c, chunk_of(body_chunk, BODY_LINE, BODY_LINE_LEN), n,
                      BOUNDARY, 1);
    }
    return send_all(c->fd, unknown, sizeof unknown - 1);
}

/* Serves the complete lines of p[0..n), keeping the unfinished rest. */
static int serve_bytes(client_t *c, const char *p, size_t n)
{
    while (n > 0) {
        const char *nl = memchr(p, '\n', n);
        size_t take = nl != NULL ? (size_t)(nl - p) : n;
        const char *line = p;
        size_t len = take;

        if (c->len > 0 || nl == NULL) {
            /* the line started in an earlier read, or ends in a later one */
            if (c->len + take > sizeof c->line)
                return -1;
            memcpy(c->line + c->len, p, take);
            c->len += take;
            line = c->line;
            len = c->len;
        }
        if (nl == NULL)
            return 0;
        if (len > 0 && line[len - 1] == '\r')
            len--;
        if (serve_line(c, line, len) < 0)
            return -1;
        c->len = 0;
        p += take + 1;
        n -= take + 1;
    }
    return 0;
}

/* close() also takes the descriptor out of the epoll set: it has no dup */
static void drop(client_t *c)
{
    close(c->fd);
    free(c);
}

/* Reads what a client sent: 0 to keep it, -1 to drop it. */
static int on_readable(client_t *c)
{
    char buf[16384];
    for (;;) {
        ssize_t n = recv(c->fd, buf, sizeof buf, 0);
        if (n > 0) {
            if (serve_bytes(c, buf, (size_t)n) < 0)
                return -1;
            if ((size_t)n < sizeof buf)
                return 0; /* level-triggered: more will be reported */
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return 0;
        return -1; /* EOF or error */
    }
}

static void accept_all(int ep, int lfd)
{
    for (;;) {
        struct epoll_event ev;
        client_t *c;
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK &&
                errno != ECONNABORTED)
                perror("bench-server: accept4");
            return;
        }
        c = malloc(sizeof *c);
        if (c == NULL) {
            close(fd);
            continue;
        }
        c->fd = fd;
        c->len = 0;
        ev.events = EPOLLIN;
        ev.data.ptr = c;
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
            perror("bench-server: epoll_ctl");
            close(fd);
            free(c);
        }
    }
}

static int listen_on(int port)
{
    struct sockaddr_in sa;
    socklen_t salen = sizeof sa;
    int one = 1;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    /* accepted sockets inherit it: no small reply waits for Nagle */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons((unsigned short)port);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
        listen(fd, 4096) < 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &salen) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int main(int argc, char **argv)
{
    struct sigaction sa;
    struct epoll_event ev, events[EVENTS];
    struct sockaddr_in addr;
    socklen_t addrlen = sizeof addr;
    long long deadline;
    int port = 0, max_seconds = 600, lfd, ep, i;
    static char listener_tag; /* epoll data of the listening socket */

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--port") == 0 && i + 1 < argc)
            port = atoi(argv[++i]);
        else if (strcmp(argv[i], "--max-seconds") == 0 && i + 1 < argc)
            max_seconds = atoi(argv[++i]);
        else
            usage();
    }
    if (port < 0 || port > 65535 || max_seconds <= 0)
        usage();

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: epoll_wait returns EINTR */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    lfd = listen_on(port);
    if (lfd < 0) {
        perror("bench-server: listen");
        return 1;
    }
    ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) {
        perror("bench-server: epoll_create1");
        return 1;
    }
    ev.events = EPOLLIN;
    ev.data.ptr = &listener_tag;
    if (epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev) < 0) {
        perror("bench-server: epoll_ctl");
        return 1;
    }
    getsockname(lfd, (struct sockaddr *)&addr, &addrlen);
    printf("port %d\n", ntohs(addr.sin_port));
    fflush(stdout);

    deadline = now_ms() + (long long)max_seconds * 1000;
    while (!stopping) {
        long long left = deadline - now_ms();
        int n;
        if (left <= 0) {
            fprintf(stderr, "bench-server: --max-seconds %d reached\n",
                    max_seconds);
            break;
        }
        n = epoll_wait(ep, events, EVENTS, left > 1000 ? 1000 : (int)left);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            perror("bench-server: epoll_wait");
            return 1;
        }
        for (i = 0; i < n; i++) {
            client_t *c = events[i].data.ptr;
            if (events[i].data.ptr == &listener_tag)
                accept_all(ep, lfd);
            else if (on_readable(c) < 0)
                drop(c);
        }
    }
    /* open connections are closed by exit */
    return 0;
}
