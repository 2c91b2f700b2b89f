/* bench/client.c: the C client of the benchmarks, the limit the Lua columns
 * are compared with (build/bench-client, compiled by bench/run.sh).
 *
 *   build/bench-client WORKLOAD MODE PORT SECONDS MAX
 *
 * Blocking syscalls, no buffering beyond one recv, no allocation per cycle.
 * Runs cycles against build/bench-server on 127.0.0.1:PORT, untimed for a
 * tenth of SECONDS (warm-up), then timed until SECONDS have passed or MAX
 * cycles are done, and prints the line the Lua harness prints:
 *
 *   result CYCLES SECONDS
 *
 * WORKLOAD w5_pool, MODE:
 *   close   socket + connect + "PING\r\n" + read "+PONG\r\n" + close
 *   keep    the same request and reply on one connection (the pooled limit)
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char request[] = "PING\r\n";
static const char reply[] = "+PONG\r\n";

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

static int dial(const struct sockaddr_in *sa)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        die("socket");
    if (connect(fd, (const struct sockaddr *)sa, sizeof *sa) < 0)
        die("connect");
    return fd;
}

/* One request and its reply on fd. */
static void ping(int fd)
{
    char buf[64];
    size_t got = 0;

    if (send(fd, request, sizeof request - 1, MSG_NOSIGNAL) !=
        (ssize_t)(sizeof request - 1))
        die("send");
    while (got < sizeof reply - 1) {
        ssize_t n = recv(fd, buf + got, sizeof buf - got, 0);
        if (n <= 0) {
            if (n < 0 && errno == EINTR)
                continue;
            if (n == 0)
                errno = ECONNRESET;
            die("recv");
        }
        got += (size_t)n;
    }
    if (got != sizeof reply - 1 || memcmp(buf, reply, got) != 0) {
        fprintf(stderr, "bench-client: unexpected reply\n");
        exit(1);
    }
}

/* Runs cycles until `seconds` or `max` cycles: the number done. */
static long run(const struct sockaddr_in *sa, int keep, double seconds,
                long max, int *fd, double *elapsed)
{
    double start = now(), t = start;
    long done = 0;

    while (done < max && t - start < seconds) {
        int i;
        for (i = 0; i < 64 && done < max; i++, done++) {
            if (!keep)
                *fd = dial(sa);
            ping(*fd);
            if (!keep) {
                close(*fd);
                *fd = -1;
            }
        }
        t = now();
    }
    *elapsed = t - start;
    return done;
}

int main(int argc, char **argv)
{
    struct sockaddr_in sa;
    double seconds, elapsed;
    long max, done;
    int keep, port, fd = -1;

    if (argc != 6 || strcmp(argv[1], "w5_pool") != 0 ||
        (strcmp(argv[2], "close") != 0 && strcmp(argv[2], "keep") != 0)) {
        fprintf(stderr, "usage: bench-client w5_pool close|keep PORT "
                "SECONDS MAX\n");
        return 2;
    }
    keep = strcmp(argv[2], "keep") == 0;
    port = atoi(argv[3]);
    seconds = atof(argv[4]);
    max = atol(argv[5]);
    if (port <= 0 || port > 65535 || seconds <= 0 || max <= 0) {
        fprintf(stderr, "bench-client: bad PORT, SECONDS or MAX\n");
        return 2;
    }
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons((unsigned short)port);
    if (keep)
        fd = dial(&sa);

    run(&sa, keep, seconds / 10, max / 10 + 1, &fd, &elapsed); /* warm-up */
    done = run(&sa, keep, seconds, max, &fd, &elapsed);
    printf("result %ld %.6f\n", done, elapsed);
    if (fd >= 0)
        close(fd);
    return 0;
}
