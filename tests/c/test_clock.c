/* How often src/core reads the clock: a receive given a lazy deadline
 * (io_deadline_lazy) and served from what is buffered reads it not at all,
 * nor does a send that goes out at once; a receive that goes to the kernel
 * reads it for its deadline, and once more when its read leaves the socket
 * empty (the stamp setkeepalive trusts instead of a syscall). This
 * program defines clock_gettime itself, so every read of the clock by the
 * core linked into it is counted here (the core reads no other clock). */
#define _GNU_SOURCE
#include "check.h"
#include "core/conn.h"
#include "core/err.h"

#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long clock_reads;

int clock_gettime(clockid_t id, struct timespec *ts)
{
    clock_reads++;
    return (int)syscall(SYS_clock_gettime, id, ts);
}

static int pair(conn_t *c, int *peer)
{
    int sv[2];

    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
        return -1;
    fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);
    conn_init(c);
    conn_adopt_link(c, &(conn_link_t){sv[0], {0}, 0}, "peer");
    *peer = sv[1];
    return 0;
}

int main(void)
{
    conn_t c;
    conn_span_t s;
    int peer, rc, i;
    const char *lines = "one\ntwo\nthree\n";
    long before;

    if (pair(&c, &peer) < 0) {
        printf("not ok - socketpair\n0 passed, 1 failed\n");
        return 1;
    }
    CHECK("sent", send(peer, lines, strlen(lines), 0) == (ssize_t)strlen(lines));

    /* the first line goes to the kernel: one recv that empties the
     * socket, so two reads of the clock, the deadline and the stamp */
    before = clock_reads;
    rc = conn_recv_line(&c, io_deadline_lazy(5000), &s);
    CHECK("first line", rc == ERR_OK && s.n == 3 && memcmp(s.p, "one", 3) == 0);
    conn_release(&c, &s);
    CHECK("first line: the deadline and the drained stamp",
          clock_reads - before >= 1 && clock_reads - before <= 2);

    /* the rest is buffered: no clock, whatever the call */
    before = clock_reads;
    rc = conn_recv_line(&c, io_deadline_lazy(5000), &s);
    CHECK("buffered line", rc == ERR_OK && s.n == 3 && memcmp(s.p, "two", 3) == 0);
    conn_release(&c, &s);
    rc = conn_recv_size(&c, 3, io_deadline_lazy(5000), &s);
    CHECK("buffered size", rc == ERR_OK && s.n == 3 && memcmp(s.p, "thr", 3) == 0);
    conn_release(&c, &s);
    rc = conn_recv_any(&c, 1, io_deadline_lazy(5000), &s);
    CHECK("buffered any", rc == ERR_OK && s.n == 1 && s.p[0] == 'e');
    conn_release(&c, &s);
    CHECK("buffered calls read no clock", clock_reads == before);

    /* a send that goes out in one syscall reads no clock either */
    before = clock_reads;
    {
        size_t sent = 0;
        rc = conn_send(&c, "ping\n", 5, io_deadline_lazy(5000), &sent);
        CHECK("send", rc == ERR_OK && sent == 5);
    }
    CHECK("a send in one syscall reads no clock", clock_reads == before);

    /* an empty socket and a peer that says nothing: a short wait, then a
     * timeout; the clock is read, boundedly */
    before = clock_reads;
    for (i = 0; i < 3; i++) {
        rc = conn_recv_size(&c, 10, io_deadline_lazy(20), &s);
        conn_release(&c, &s);
    }
    CHECK("a timeout against a silent peer", rc == ERR_TIMEOUT && !c.read_done);
    CHECK("and it read the clock", clock_reads > before);

    conn_close(&c);
    close(peer);
    return check_report("clock: buffered receives read no clock");
}
