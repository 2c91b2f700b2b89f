/*
 * peer: the scripted TCP/unix server every test talks to.
 *
 *   build/peer [--unix PATH] [--host ADDR] [--port N] [--max-seconds S] SCRIPT
 *   build/peer --udp [--host ADDR] [--port N] [--max-seconds S] echo
 *     (a UDP peer that sends every datagram back to its sender)
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
 * TEXT escapes: \r \n \t \\ \; \xHH
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
#include <time.h>
#include <unistd.h>

enum op {
    OP_SEND, OP_DRIP, OP_FLOOD, OP_RECV, OP_RECVLINE, OP_RECVALL, OP_ECHO,
    OP_SLEEP, OP_SHUTDOWN, OP_RESET, OP_CLOSE, OP_HOLD
};

struct step {
    enum op op;
    long num;          /* MS for drip/sleep, N for flood/recv */
    char *text;        /* unescaped TEXT for send/drip */
    size_t len;
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

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms)
{
    struct timespec req, rem;
    req.tv_sec = ms / 1000;
    req.tv_nsec = (ms % 1000) * 1000000L;
    while (nanosleep(&req, &rem) < 0 && errno == EINTR)
        req = rem;
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

static int do_drain(int fd, int echo)
{
    char buf[4096];
    for (;;) {
        ssize_t r = read_some(fd, buf, sizeof buf);
        if (r <= 0) return (int)r;
        if (echo && write_all(fd, buf, (size_t)r) < 0) return -1;
    }
}

static int do_flood(int fd, long n)
{
    char buf[4096];
    memset(buf, 'x', sizeof buf);
    while (n > 0) {
        size_t chunk = n < (long)sizeof buf ? (size_t)n : sizeof buf;
        if (write_all(fd, buf, chunk) < 0) return -1;
        n -= (long)chunk;
    }
    return 0;
}

static int run_script(int fd, const struct script *sc)
{
    size_t i, k;
    for (i = 0; i < sc->n; i++) {
        const struct step *st = &sc->steps[i];
        int rc = 0;
        switch (st->op) {
        case OP_SEND:
            rc = write_all(fd, st->text, st->len);
            break;
        case OP_DRIP:
            for (k = 0; k < st->len && rc == 0; k++) {
                if (k > 0) sleep_ms(st->num);
                rc = write_all(fd, st->text + k, 1);
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
            rc = do_drain(fd, 1) < 0 ? -1 : 0;
            break;
        case OP_SLEEP:
            sleep_ms(st->num);
            break;
        case OP_SHUTDOWN:
            shutdown(fd, SHUT_WR);
            break;
        case OP_RESET: {
            struct linger lg;
            lg.l_onoff = 1;
            lg.l_linger = 0;
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
            close(fd);
            return 0;
        }
        case OP_CLOSE:
            close(fd);
            return 0;
        }
        if (rc < 0) break;      /* the client went away: nothing left to do */
    }
    close(fd);
    return 0;
}

static void child_main(int cfd, const struct script *sc, int max_seconds)
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
    run_script(cfd, sc);
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

static int listen_inet(const char *host, int port, int *bound_port, int type)
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
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
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
                    "[--max-seconds S] SCRIPT\n");
    exit(2);
}

/* --udp: every datagram goes back to its sender, until stopped. */
static int udp_echo(int fd, int bound_port, int max_seconds)
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
        if (n >= 0)
            sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, fl);
    }
    close(fd);
    return 0;
}

int main(int argc, char **argv)
{
    const char *unix_path = NULL, *host = "127.0.0.1", *script_src = NULL;
    int port = 0, max_seconds = 120, lfd, i, bound_port = 0, udp = 0;
    struct script sc;
    struct children ch = {NULL, 0, 0};
    struct sigaction sa;
    double deadline;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--udp") == 0) {
            udp = 1;
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
        lfd = listen_inet(host, port, &bound_port, SOCK_DGRAM);
        return udp_echo(lfd, bound_port, max_seconds);
    }
    lfd = unix_path ? listen_unix(unix_path)
                    : listen_inet(host, port, &bound_port, SOCK_STREAM);
    if (listen(lfd, 128) < 0) die("listen: %s", strerror(errno));
    if (unix_path) printf("unix %s\n", unix_path);
    else printf("port %d\n", bound_port);
    fflush(stdout);

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
            child_main(cfd, &sc, max_seconds);
        }
        if (pid > 0) children_add(&ch, pid);
        close(cfd);
    }

    close(lfd);
    children_kill(&ch);
    if (unix_path) unlink(unix_path);
    return 0;
}
