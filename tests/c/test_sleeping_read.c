/* A call's first wait sleeps inside recv() under SO_RCVTIMEO (io.h's
 * io_read_sleeping) instead of poll + recv. What must still hold:
 *
 * - the timeout bounds the call, even when signals interrupt the sleep
 *   over and over (an interrupted recv cannot say how long it slept: the
 *   deadline fixed before it does);
 * - a descriptor that does not block (the sleep returns at once) still
 *   waits its timeout;
 * - a new timeout replaces the one the descriptor holds, and the value
 *   travels with the connection through the pool (conn_link_t);
 * - setkeepalive's check is skipped only right after a read that emptied
 *   the socket with nothing sent since: after a send, the peer's answer is
 *   seen.
 *
 * Lower bounds of elapsed time only: nothing here depends on the machine's
 * speed. Every wait is bounded by alarm(). */
#define _GNU_SOURCE
#include "check.h"
#include "core/conn.h"
#include "core/err.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static int pair(conn_t *c, int *peer, int nonblocking)
{
    int sv[2];

    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
        return -1;
    if (nonblocking)
        fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);
    conn_init(c);
    conn_adopt_link(c, &(conn_link_t){sv[0], {0}, 0}, "peer");
    *peer = sv[1];
    return 0;
}

static volatile sig_atomic_t ticks;

/* 10 ms ticks: after 30 s of them the read is taken to wait forever */
static void on_tick(int sig)
{
    static const char msg[] = "not ok - signals: the read outlived its "
                              "timeout by far\n0 passed, 1 failed\n";
    (void)sig;
    if (++ticks > 3000) {
        (void)!write(1, msg, sizeof msg - 1);
        _exit(1);
    }
}

/* a line from a silent peer, timing out after ms; returns the ms taken */
static long timed_line(conn_t *c, long ms, int *rc)
{
    conn_span_t s;
    io_ms start = io_now();

    *rc = conn_recv_line(c, io_deadline_lazy(ms), &s);
    conn_release(c, &s);
    return (long)(io_now() - start);
}

static void interrupted(void)
{
    conn_t c;
    struct sigaction sa;
    struct itimerval every = {{0, 10000}, {0, 10000}}, off = {{0, 0}, {0, 0}};
    int peer, rc;
    long took;

    if (pair(&c, &peer, 0) < 0) {
        CHECK("signals: socketpair", 0);
        return;
    }
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_tick; /* no SA_RESTART: recv fails with EINTR */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    setitimer(ITIMER_REAL, &every, NULL);
    took = timed_line(&c, 300, &rc);
    setitimer(ITIMER_REAL, &off, NULL);
    CHECK("signals: a timeout", rc == ERR_TIMEOUT && !c.read_done);
    CHECK("signals: after the timeout, not before", took >= 300);
    CHECK("signals: the sleep was interrupted", ticks > 1);
    conn_close(&c);
    close(peer);
}

static void nonblocking(void)
{
    conn_t c;
    int peer, rc;
    long took;

    if (pair(&c, &peer, 1) < 0) {
        CHECK("non-blocking: socketpair", 0);
        return;
    }
    took = timed_line(&c, 200, &rc);
    CHECK("non-blocking: a timeout", rc == ERR_TIMEOUT);
    CHECK("non-blocking: after the whole timeout", took >= 200);
    conn_close(&c);
    close(peer);
}

static void new_timeout(void)
{
    conn_t c, d;
    conn_link_t link;
    int peer, rc;
    long took;

    if (pair(&c, &peer, 0) < 0) {
        CHECK("timeouts: socketpair", 0);
        return;
    }
    took = timed_line(&c, 50, &rc);
    CHECK("timeouts: the first", rc == ERR_TIMEOUT && took >= 50);
    CHECK("timeouts: held by the descriptor", c.rcvtimeo == 50);
    took = timed_line(&c, 300, &rc);
    CHECK("timeouts: a longer one replaces it", rc == ERR_TIMEOUT
                                                 && took >= 300);
    /* through the pool: the descriptor keeps 300, and says so */
    conn_release_link(&c, &link);
    CHECK("timeouts: the link carries it", link.rcvtimeo == 300);
    conn_init(&d);
    conn_adopt_link(&d, &link, "peer");
    took = timed_line(&d, 300, &rc);
    CHECK("timeouts: kept through the pool", rc == ERR_TIMEOUT
                                              && took >= 300);
    took = timed_line(&d, 100, &rc);
    CHECK("timeouts: a shorter one", rc == ERR_TIMEOUT && took >= 100);
    conn_close(&d);
    conn_close(&c);
    close(peer);
}

static void keepalive_state(void)
{
    conn_t c;
    conn_span_t s;
    size_t sent;
    int peer, rc;

    if (pair(&c, &peer, 0) < 0) {
        CHECK("keepalive: socketpair", 0);
        return;
    }
    CHECK("keepalive: answer", send(peer, "a\n", 2, 0) == 2);
    rc = conn_recv_line(&c, io_deadline_lazy(5000), &s);
    CHECK("keepalive: the line", rc == ERR_OK && s.n == 1);
    conn_release(&c, &s);
    CHECK("keepalive: the read emptied the socket", c.drained_at != 0);
    /* a new request: its answer may be coming, so the socket is asked */
    rc = conn_send(&c, "q\n", 2, io_deadline_lazy(5000), &sent);
    CHECK("keepalive: send", rc == ERR_OK && sent == 2);
    CHECK("keepalive: a send forgets the stamp", c.drained_at == 0);
    CHECK("keepalive: answer 2", send(peer, "b\n", 2, 0) == 2);
    CHECK("keepalive: the unread answer is seen",
          conn_keepalive_state(&c) == 1);
    rc = conn_recv_line(&c, io_deadline_lazy(5000), &s);
    conn_release(&c, &s);
    /* time passes: the stamp no longer counts, the close is seen */
    close(peer);
    usleep(20000);
    CHECK("keepalive: a close after the stamp's window is seen",
          conn_keepalive_state(&c) == ERR_CLOSED);
    conn_close(&c);
}

int main(void)
{
    alarm(60); /* until interrupted(), whose ticks bound it instead */
    nonblocking();
    new_timeout();
    keepalive_state();
    interrupted(); /* last: it leaves SIGALRM to its handler */
    return check_report("sleeping reads: timeouts, signals, the pool");
}
