/*
 * peer: the scripted TCP/unix server every test talks to.
 *
 *   build/peer [--unix PATH] [--host ADDR] [--port N] [--max-seconds S] SCRIPT
 *   build/peer --udp [--host ADDR] [--port N] [--max-seconds S] echo|hold
 *     (a UDP peer that sends every datagram back to its sender, or, with
 *     hold, answers none: a DNS server that never replies)
 *   build/peer --no-accept [--host ADDR] [--port N] [--max-seconds S] hold
 *     (listens with a backlog of 0 and never accepts: once one connection
 *     waits in the queue, the kernel drops the SYNs of the next ones, whose
 *     connect then times out)
 *   build/peer --no-listen [--host ADDR] [--port N] [--max-seconds S] hold
 *     (binds a TCP port and never listens: connects there are refused, and
 *     while it runs no other socket can take the port, not even a connect's
 *     own end, which could otherwise connect to itself)
 *
 * Listens on 127.0.0.1 (or ADDR: another loopback literal such as ::1) on
 * port N (0 = ephemeral, the default), or on the unix socket PATH, prints
 * "port N" or "unix PATH" on stdout once listening, then serves every
 * connection with SCRIPT in a forked child. SIGTERM/SIGINT or the end of
 * --max-seconds (default 120) stop the parent and kill its children.
 *
 * SCRIPT: steps separated by ';' (see docs/internals.md):
 *   send:TEXT  drip:MS:TEXT  flood:N  recv:N  recvline  recvall  echo
 *   sleep:MS  shutdown  reset  close  hold
 *   after:N:FAULT  record:PATH  proxy:PORT      (fault injection)
 * TEXT escapes: \r \n \t \\ \; \xHH
 *
 * Every byte for the client goes through out_write(), where a fault armed
 * by after:N:FAULT fires once N more bytes went out: reset, close,
 * shutdown, stall (end the conversation) or flip, drip:MS, flood:M (change
 * what follows). proxy:PORT relays to 127.0.0.1:PORT, so that the faults
 * apply to a real server's answer (a TLS handshake, say).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"

enum op {
    OP_SEND, OP_DRIP, OP_FLOOD, OP_RECV, OP_RECVLINE, OP_RECVALL, OP_ECHO,
    OP_SLEEP, OP_SHUTDOWN, OP_RESET, OP_CLOSE, OP_HOLD,
    OP_AFTER, OP_RECORD, OP_PROXY
};

/* What an armed fault does when its byte offset comes. The first four end
 * the conversation; the others change the bytes that follow. */
enum fault {
    F_RESET, F_CLOSE, F_SHUTDOWN, F_STALL, F_FLIP, F_DRIP, F_FLOOD
};

struct step {
    enum op op;
    long num;          /* MS for drip/sleep, N for flood/recv/after, PORT */
    char *text;        /* unescaped TEXT for send/drip, PATH for record */
    size_t len;
    enum fault fault;  /* after: what happens at the offset */
    long farg;         /* after: MS for drip, M for flood */
};

struct script {
    struct step *steps;
    size_t n;
};

static volatile sig_atomic_t stop_requested;

static void die(const char *fmt, const char *arg)
{
    fprintf(stderr, "peer: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    exit(2);
}

static void on_stop(int sig)
{
    (void)sig;
    stop_requested = 1;
}

/* ---- script parsing ---- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Unescape src[0..n) into a fresh buffer; *out_len gets its length. */
static char *unescape(const char *src, size_t n, size_t *out_len)
{
    char *dst = malloc(n + 1);
    size_t i, j = 0;
    if (dst == NULL) die("%s", "out of memory");
    for (i = 0; i < n; i++) {
        char c = src[i];
        if (c != '\\') { dst[j++] = c; continue; }
        if (++i == n) die("%s", "script: trailing backslash");
        switch (src[i]) {
        case 'r': dst[j++] = '\r'; break;
        case 'n': dst[j++] = '\n'; break;
        case 't': dst[j++] = '\t'; break;
        case '\\': dst[j++] = '\\'; break;
        case ';': dst[j++] = ';'; break;
        case 'x': {
            int hi, lo;
            if (i + 2 >= n) die("%s", "script: short \\x escape");
            hi = hexval(src[i + 1]);
            lo = hexval(src[i + 2]);
            if (hi < 0 || lo < 0) die("%s", "script: bad \\x escape");
            dst[j++] = (char)(hi * 16 + lo);
            i += 2;
            break;
        }
        default:
            die("script: unknown escape in \"%s\"", src);
        }
    }
    dst[j] = '\0';
    *out_len = j;
    return dst;
}

static long parse_num(const char *s, size_t n, const char *what)
{
    char buf[32];
    char *end;
    long v;
    if (n == 0 || n >= sizeof buf) die("script: bad number for %s", what);
    memcpy(buf, s, n);
    buf[n] = '\0';
    errno = 0;
    v = strtol(buf, &end, 10);
    if (errno != 0 || *end != '\0' || v < 0) die("script: bad number for %s", what);
    return v;
}

/* after:N:FAULT, arg = "N:FAULT[:ARG]" (s is the whole step, for errors) */
static void parse_fault(const char *s, const char *arg, size_t arg_len,
                        struct step *st)
{
    static const struct { const char *name; enum fault f; int has_arg; } fs[] = {
        {"reset", F_RESET, 0}, {"close", F_CLOSE, 0},
        {"shutdown", F_SHUTDOWN, 0}, {"stall", F_STALL, 0},
        {"flip", F_FLIP, 0}, {"drip", F_DRIP, 1}, {"flood", F_FLOOD, 1},
    };
    const char *c1 = memchr(arg, ':', arg_len), *name, *c2;
    size_t rest, name_len, k;

    if (c1 == NULL) die("script: after needs N:FAULT in \"%s\"", s);
    /* "#": the number of the connection (0 for the first one accepted) */
    if (c1 - arg == 1 && arg[0] == '#')
        st->num = -1;
    else
        st->num = parse_num(arg, (size_t)(c1 - arg), "after");
    name = c1 + 1;
    rest = arg_len - (size_t)(name - arg);
    c2 = memchr(name, ':', rest);
    name_len = c2 ? (size_t)(c2 - name) : rest;
    for (k = 0; k < sizeof fs / sizeof fs[0]; k++) {
        if (strlen(fs[k].name) == name_len && memcmp(fs[k].name, name, name_len) == 0)
            break;
    }
    if (k == sizeof fs / sizeof fs[0]) die("script: unknown fault in \"%s\"", s);
    if (fs[k].has_arg != (c2 != NULL)) die("script: bad fault arguments in \"%s\"", s);
    st->fault = fs[k].f;
    if (c2 != NULL)
        st->farg = parse_num(c2 + 1, rest - name_len - 1, "fault");
}

/* Parse one raw step (escapes still in place) of length n. */
static void parse_step(const char *s, size_t n, struct step *st)
{
    const char *colon = memchr(s, ':', n);
    size_t name_len = colon ? (size_t)(colon - s) : n;
    const char *arg = colon ? colon + 1 : NULL;
    size_t arg_len = colon ? n - name_len - 1 : 0;
    static const struct { const char *name; enum op op; int has_arg; } ops[] = {
        {"send", OP_SEND, 1}, {"drip", OP_DRIP, 1}, {"flood", OP_FLOOD, 1},
        {"recv", OP_RECV, 1}, {"recvline", OP_RECVLINE, 0},
        {"recvall", OP_RECVALL, 0}, {"echo", OP_ECHO, 0},
        {"sleep", OP_SLEEP, 1}, {"shutdown", OP_SHUTDOWN, 0},
        {"reset", OP_RESET, 0}, {"close", OP_CLOSE, 0}, {"hold", OP_HOLD, 0},
        {"after", OP_AFTER, 1}, {"record", OP_RECORD, 1},
        {"proxy", OP_PROXY, 1},
    };
    size_t k;

    memset(st, 0, sizeof *st);
    for (k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        if (strlen(ops[k].name) == name_len && memcmp(ops[k].name, s, name_len) == 0)
            break;
    }
    if (k == sizeof ops / sizeof ops[0]) die("script: unknown step \"%s\"", s);
    if (ops[k].has_arg != (colon != NULL)) die("script: bad arguments in \"%s\"", s);
    st->op = ops[k].op;

    switch (st->op) {
    case OP_SEND:
        st->text = unescape(arg, arg_len, &st->len);
        break;
    case OP_DRIP: {
        const char *c2 = memchr(arg, ':', arg_len);
        if (c2 == NULL) die("script: drip needs MS:TEXT in \"%s\"", s);
        st->num = parse_num(arg, (size_t)(c2 - arg), "drip");
        st->text = unescape(c2 + 1, arg_len - (size_t)(c2 - arg) - 1, &st->len);
        break;
    }
    case OP_FLOOD: case OP_RECV: case OP_SLEEP:
        st->num = parse_num(arg, arg_len, "step");
        break;
    case OP_PROXY:
        st->num = parse_num(arg, arg_len, "proxy");
        if (st->num == 0 || st->num > 65535) die("script: bad port in \"%s\"", s);
        break;
    case OP_RECORD:
        st->text = unescape(arg, arg_len, &st->len);
        break;
    case OP_AFTER:
        parse_fault(s, arg, arg_len, st);
        break;
    default:
        break;
    }
}

static void add_step(struct script *sc, size_t *cap, const char *s, size_t n)
{
    char *raw;
    if (n == 0) return;
    if (sc->n == *cap) {
        *cap *= 2;
        sc->steps = realloc(sc->steps, *cap * sizeof *sc->steps);
        if (sc->steps == NULL) die("%s", "out of memory");
    }
    raw = malloc(n + 1);
    if (raw == NULL) die("%s", "out of memory");
    memcpy(raw, s, n);
    raw[n] = '\0';
    parse_step(raw, n, &sc->steps[sc->n++]);
    free(raw);
}

/* Split at every ';' that is not escaped; escapes are undone per step. */
static void parse_script(const char *src, struct script *sc)
{
    size_t cap = 8, start = 0, i, n = strlen(src);

    sc->n = 0;
    sc->steps = malloc(cap * sizeof *sc->steps);
    if (sc->steps == NULL) die("%s", "out of memory");
    for (i = 0; i < n; i++) {
        if (src[i] == '\\') {
            if (i + 1 == n) die("%s", "script: trailing backslash");
            i++;
        } else if (src[i] == ';') {
            add_step(sc, &cap, src + start, i - start);
            start = i + 1;
        }
    }
    add_step(sc, &cap, src + start, n - start);
}

/* ---- the child: run the script on one connection ---- */

/* 0 on success, -1 when the connection is gone (EPIPE, RST, ...). */
static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* One read; >0 bytes, 0 at EOF, -1 on error. */
static ssize_t read_some(int fd, char *buf, size_t n)
{
    for (;;) {
        ssize_t r = recv(fd, buf, n, 0);
        if (r < 0 && errno == EINTR) continue;
        return r;
    }
}

static int do_drain(int fd, int echo);

/* The client-bound byte stream of this connection: an armed fault, the
 * byte modes a fired fault left behind, and the record file. A child serves
 * one connection, so one instance per process is all there is. */
static struct {
    int armed;          /* a fault waits for its offset */
    long left;          /* bytes still to go before it fires */
    enum fault fault;
    long farg;
    int flip_next;      /* the next byte goes out with its bits inverted */
    long drip_ms;       /* >= 0: one byte per write, drip_ms apart */
    long dripped;
    int record_fd;      /* -1, or a copy of every byte sent goes there */
} out = {0, 0, F_RESET, 0, 0, -1, 0, -1};

/* The result of a step when a fault ended the conversation. */
#define ENDED 1

static int send_raw(int fd, const char *p, size_t n)
{
    /* recorded before it is sent: whatever the client saw is on file */
    if (out.record_fd >= 0 && write(out.record_fd, p, n) != (ssize_t)n)
        die("%s", "record: write failed");
    return write_all(fd, p, n);
}

static void linger_close(int fd)
{
    struct linger lg;
    lg.l_onoff = 1;
    lg.l_linger = 0;
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close(fd);
}

/* The armed fault's offset has come. ENDED when the fault ended the
 * conversation (the descriptor is closed then), -1 when the client went
 * away, else 0. */
static int fire(int fd)
{
    char buf[4096];
    long n;

    out.armed = 0;
    switch (out.fault) {
    case F_RESET:
        linger_close(fd);
        return ENDED;
    case F_CLOSE:
        close(fd);
        return ENDED;
    case F_SHUTDOWN:
        shutdown(fd, SHUT_WR);
        do_drain(fd, 0);
        close(fd);
        return ENDED;
    case F_STALL:
        /* nothing more goes out; the client's timeout or close ends it */
        do_drain(fd, 0);
        close(fd);
        return ENDED;
    case F_FLIP:
        out.flip_next = 1;
        return 0;
    case F_DRIP:
        out.drip_ms = out.farg;
        out.dripped = 0;
        return 0;
    case F_FLOOD:
        memset(buf, 'x', sizeof buf);
        for (n = out.farg; n > 0; n -= (long)sizeof buf) {
            size_t chunk = n < (long)sizeof buf ? (size_t)n : sizeof buf;
            if (send_raw(fd, buf, chunk) < 0) return -1;
        }
        return 0;
    }
    return 0;
}

/* Every byte for the client comes here: 0 when all went out, -1 when the
 * client went away, ENDED when a fault ended the conversation. */
static int out_write(int fd, const char *p, size_t n)
{
    while (n > 0) {
        size_t chunk = n;
        int rc;
        if (out.armed && out.left == 0) {
            if ((rc = fire(fd)) != 0) return rc;
            continue;
        }
        if (out.armed && (size_t)out.left < chunk) chunk = (size_t)out.left;
        if (out.flip_next || out.drip_ms >= 0) chunk = 1;
        if (out.drip_ms >= 0 && out.dripped++ > 0) sleep_ms(out.drip_ms);
        if (out.flip_next) {
            char c = (char)(p[0] ^ 0xff);
            out.flip_next = 0;
            rc = send_raw(fd, &c, 1);
        } else {
            rc = send_raw(fd, p, chunk);
        }
        if (rc < 0) return -1;
        p += chunk;
        n -= chunk;
        if (out.armed) out.left -= (long)chunk;
    }
    /* a fault at the offset where this write ended fires now, not at the
     * next write: "after:N:reset" after exactly N bytes resets */
    if (out.armed && out.left == 0) return fire(fd);
    return 0;
}

static void arm(int fd, const struct step *st, long conn_no)
{
    int one = 1;
    out.armed = 1;
    out.left = st->num >= 0 ? st->num : conn_no;
    out.fault = st->fault;
    out.farg = st->farg;
    /* the bytes before the fault go out now, not held back by Nagle (a
     * reset would discard what the kernel still holds) */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static int do_recv(int fd, long want)
{
    char buf[4096];
    while (want > 0) {
        size_t chunk = want < (long)sizeof buf ? (size_t)want : sizeof buf;
        ssize_t r = read_some(fd, buf, chunk);
        if (r <= 0) return (int)r;
        want -= r;
    }
    return 1;
}

/* Read byte by byte so that nothing past the newline is consumed. */
static int do_recvline(int fd)
{
    char c;
    for (;;) {
        ssize_t r = read_some(fd, &c, 1);
        if (r <= 0) return (int)r;
        if (c == '\n') return 1;
    }
}

/* Read to EOF; with echo, send every byte back (through out_write). */
static int do_drain(int fd, int echo)
{
    char buf[4096];
    for (;;) {
        ssize_t r = read_some(fd, buf, sizeof buf);
        int rc;
        if (r <= 0) return (int)r;
        if (echo && (rc = out_write(fd, buf, (size_t)r)) != 0) return rc;
    }
}

static int do_flood(int fd, long n)
{
    char buf[4096];
    memset(buf, 'x', sizeof buf);
    while (n > 0) {
        size_t chunk = n < (long)sizeof buf ? (size_t)n : sizeof buf;
        int rc = out_write(fd, buf, chunk);
        if (rc != 0) return rc;
        n -= (long)chunk;
    }
    return 0;
}

static int connect_local(long port)
{
    struct sockaddr_in sin;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_port = htons((unsigned short)port);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sin, sizeof sin) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* proxy:PORT: relays between the client and 127.0.0.1:PORT until either
 * side closes; the server's bytes go through out_write, so that an armed
 * fault breaks them. Without a server there, the client is reset. */
static int do_proxy(int fd, long port)
{
    char buf[16384];
    int up = connect_local(port), rc = 0;

    if (up < 0) {
        linger_close(fd);
        return ENDED;
    }
    for (;;) {
        struct pollfd p[2];
        ssize_t r;
        p[0].fd = fd;
        p[1].fd = up;
        p[0].events = p[1].events = POLLIN;
        p[0].revents = p[1].revents = 0;
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR) continue;
            rc = -1;
            break;
        }
        if (p[0].revents) {
            r = read_some(fd, buf, sizeof buf);
            if (r <= 0) { rc = r < 0 ? -1 : 0; break; }
            if (write_all(up, buf, (size_t)r) < 0) { rc = -1; break; }
        }
        if (p[1].revents) {
            r = read_some(up, buf, sizeof buf);
            if (r <= 0) break;          /* the server is done: so is the step */
            if ((rc = out_write(fd, buf, (size_t)r)) != 0) break;
        }
    }
    close(up);
    return rc;
}

static int run_script(int fd, const struct script *sc, long conn_no)
{
    size_t i, k;
    for (i = 0; i < sc->n; i++) {
        const struct step *st = &sc->steps[i];
        int rc = 0;
        switch (st->op) {
        case OP_SEND:
            rc = out_write(fd, st->text, st->len);
            break;
        case OP_DRIP:
            for (k = 0; k < st->len && rc == 0; k++) {
                if (k > 0) sleep_ms(st->num);
                rc = out_write(fd, st->text + k, 1);
            }
            break;
        case OP_FLOOD:
            rc = do_flood(fd, st->num);
            break;
        case OP_RECV:
            rc = do_recv(fd, st->num) < 0 ? -1 : 0;
            break;
        case OP_RECVLINE:
            rc = do_recvline(fd) < 0 ? -1 : 0;
            break;
        case OP_RECVALL: case OP_HOLD:
            rc = do_drain(fd, 0) < 0 ? -1 : 0;
            break;
        case OP_ECHO:
            rc = do_drain(fd, 1);
            if (rc < 0) rc = -1;
            break;
        case OP_SLEEP:
            sleep_ms(st->num);
            break;
        case OP_SHUTDOWN:
            shutdown(fd, SHUT_WR);
            break;
        case OP_RESET:
            linger_close(fd);
            return 0;
        case OP_CLOSE:
            close(fd);
            return 0;
        case OP_AFTER:
            arm(fd, st, conn_no);
            if (out.left == 0) rc = fire(fd);
            break;
        case OP_RECORD:
            if (out.record_fd >= 0) close(out.record_fd);
            out.record_fd = open(st->text, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
            if (out.record_fd < 0) die("record: cannot open %s", st->text);
            break;
        case OP_PROXY:
            rc = do_proxy(fd, st->num);
            break;
        }
        if (rc == ENDED) return 0;  /* the fault closed the descriptor */
        if (rc < 0) break;          /* the client went away: nothing left to do */
    }
    close(fd);
    return 0;
}

static void child_main(int cfd, const struct script *sc, int max_seconds,
                       long conn_no)
{
    struct sigaction sa;
    int devnull;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    /* stdout is the test's pipe: do not hold it open past the parent */
    devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0) {
        dup2(devnull, STDOUT_FILENO);
        close(devnull);
    }
    /* a safety net should the parent die without killing us */
    alarm((unsigned)max_seconds + 1);
    run_script(cfd, sc, conn_no);
    _exit(0);
}

/* ---- the parent: listen, fork, track, stop ---- */

struct children {
    pid_t *pids;
    size_t n, cap;
};

static void children_add(struct children *ch, pid_t pid)
{
    if (ch->n == ch->cap) {
        ch->cap = ch->cap ? ch->cap * 2 : 16;
        ch->pids = realloc(ch->pids, ch->cap * sizeof *ch->pids);
        if (ch->pids == NULL) die("%s", "out of memory");
    }
    ch->pids[ch->n++] = pid;
}

static void children_reap(struct children *ch)
{
    size_t i = 0;
    while (i < ch->n) {
        if (waitpid(ch->pids[i], NULL, WNOHANG) == ch->pids[i])
            ch->pids[i] = ch->pids[--ch->n];
        else
            i++;
    }
}

static void children_kill(struct children *ch)
{
    size_t i;
    for (i = 0; i < ch->n; i++) kill(ch->pids[i], SIGKILL);
    for (i = 0; i < ch->n; i++) {
        while (waitpid(ch->pids[i], NULL, 0) < 0 && errno == EINTR)
            ;
    }
    ch->n = 0;
}

static int listen_unix(const char *path)
{
    struct sockaddr_un sun;
    struct stat stt;
    int fd;

    if (strlen(path) >= sizeof sun.sun_path) die("unix path too long: %s", path);
    /* a socket file left over by an earlier run would make bind fail */
    if (lstat(path, &stt) == 0 && S_ISSOCK(stt.st_mode)) unlink(path);
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0) die("socket: %s", strerror(errno));
    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    strcpy(sun.sun_path, path);
    if (bind(fd, (struct sockaddr *)&sun, sizeof sun) < 0)
        die("bind: %s", strerror(errno));
    return fd;
}

/* reuse: SO_REUSEADDR, which a port held without listening must not
 * have, or another socket with it could bind the port and listen there */
static int listen_inet(const char *host, int port, int *bound_port, int type,
                       int reuse)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    int fd, one = 1;

    memset(&ss, 0, sizeof ss);
    if (strchr(host, ':') != NULL) {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((unsigned short)port);
        if (inet_pton(AF_INET6, host, &s6->sin6_addr) != 1) die("bad host: %s", host);
        sl = sizeof *s6;
    } else {
        struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
        s4->sin_family = AF_INET;
        s4->sin_port = htons((unsigned short)port);
        if (inet_pton(AF_INET, host, &s4->sin_addr) != 1) die("bad host: %s", host);
        sl = sizeof *s4;
    }
    fd = socket(ss.ss_family, type, 0);
    if (fd < 0) die("socket: %s", strerror(errno));
    if (reuse) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&ss, sl) < 0) die("bind: %s", strerror(errno));
    sl = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0)
        die("getsockname: %s", strerror(errno));
    *bound_port = ntohs(ss.ss_family == AF_INET6
                        ? ((struct sockaddr_in6 *)&ss)->sin6_port
                        : ((struct sockaddr_in *)&ss)->sin_port);
    return fd;
}

static void usage(void)
{
    fprintf(stderr, "usage: peer [--unix PATH] [--host ADDR] [--port N] "
                    "[--max-seconds S] [--udp | --no-accept | --no-listen] SCRIPT\n"
                    "       peer --udp [--host ADDR] [--port N] "
                    "[--max-seconds S] echo|hold\n");
    exit(2);
}

/* --udp: every datagram goes back to its sender (echo) or nowhere (hold),
 * until stopped. Reading what it drops keeps the socket's queue from
 * filling, so that the kernel never answers for it either. */
static int udp_serve(int fd, int bound_port, int max_seconds, int echo)
{
    char buf[65536];
    double deadline = now_seconds() + max_seconds;

    printf("port %d\n", bound_port);
    fflush(stdout);
    while (!stop_requested && now_seconds() < deadline) {
        struct pollfd pfd;
        struct sockaddr_storage from;
        socklen_t fl = sizeof from;
        ssize_t n;

        pfd.fd = fd;
        pfd.events = POLLIN;
        pfd.revents = 0;
        if (poll(&pfd, 1, 200) <= 0)
            continue;
        n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
        if (n >= 0 && echo)
            sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, fl);
    }
    close(fd);
    return 0;
}

int main(int argc, char **argv)
{
    const char *unix_path = NULL, *host = "127.0.0.1", *script_src = NULL;
    int port = 0, max_seconds = 120, lfd, i, bound_port = 0, udp = 0;
    long conn_no = 0;
    int no_accept = 0, no_listen = 0;
    struct script sc;
    struct children ch = {NULL, 0, 0};
    struct sigaction sa;
    double deadline;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--udp") == 0) {
            udp = 1;
        } else if (strcmp(argv[i], "--no-accept") == 0) {
            no_accept = 1;
        } else if (strcmp(argv[i], "--no-listen") == 0) {
            no_listen = 1;
        } else if (strcmp(argv[i], "--unix") == 0 && i + 1 < argc) {
            unix_path = argv[++i];
        } else if (strcmp(argv[i], "--host") == 0 && i + 1 < argc) {
            host = argv[++i];
        } else if (strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
            port = (int)parse_num(argv[i + 1], strlen(argv[i + 1]), "--port");
            i++;
            if (port > 65535) usage();
        } else if (strcmp(argv[i], "--max-seconds") == 0 && i + 1 < argc) {
            max_seconds = (int)parse_num(argv[i + 1], strlen(argv[i + 1]), "--max-seconds");
            i++;
        } else if (script_src == NULL && strncmp(argv[i], "--", 2) != 0) {
            script_src = argv[i];
        } else {
            usage();
        }
    }
    if (script_src == NULL) usage();
    if (udp && strcmp(script_src, "echo") != 0 && strcmp(script_src, "hold") != 0)
        usage();
    parse_script(script_src, &sc);

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;        /* no SA_RESTART: poll() must wake up */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = SIG_IGN;        /* the parent never writes to a socket */
    sigaction(SIGPIPE, &sa, NULL);

    if (udp) {
        if (unix_path != NULL) usage();
        lfd = listen_inet(host, port, &bound_port, SOCK_DGRAM, 1);
        return udp_serve(lfd, bound_port, max_seconds,
                         strcmp(script_src, "echo") == 0);
    }
    lfd = unix_path ? listen_unix(unix_path)
                    : listen_inet(host, port, &bound_port, SOCK_STREAM, !no_listen);
    if (!no_listen && listen(lfd, no_accept ? 0 : 128) < 0)
        die("listen: %s", strerror(errno));
    if (unix_path) printf("unix %s\n", unix_path);
    else printf("port %d\n", bound_port);
    fflush(stdout);
    if (no_accept || no_listen) {
        deadline = now_seconds() + max_seconds;
        while (!stop_requested && now_seconds() < deadline)
            sleep_ms(100);
        close(lfd);
        if (unix_path) unlink(unix_path);
        return 0;
    }

    deadline = now_seconds() + max_seconds;
    while (!stop_requested) {
        struct pollfd pfd;
        double left = deadline - now_seconds();
        int cfd;
        pid_t pid;

        children_reap(&ch);
        if (left <= 0) break;
        pfd.fd = lfd;
        pfd.events = POLLIN;
        pfd.revents = 0;
        /* wake up now and then to reap children */
        if (poll(&pfd, 1, left > 0.2 ? 200 : (int)(left * 1000) + 1) <= 0) continue;
        cfd = accept(lfd, NULL, NULL);
        if (cfd < 0) continue;
        pid = fork();
        if (pid == 0) {
            close(lfd);
            child_main(cfd, &sc, max_seconds, conn_no);
        }
        conn_no++;
        if (pid > 0) children_add(&ch, pid);
        close(cfd);
    }

    close(lfd);
    children_kill(&ch);
    if (unix_path) unlink(unix_path);
    return 0;
}
