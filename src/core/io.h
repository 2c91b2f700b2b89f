/* Non-blocking socket I/O where every operation has one deadline.
 *
 * A deadline is an absolute time on the monotonic clock, in milliseconds; an
 * operation that cannot finish before it returns ERR_TIMEOUT, however many
 * syscalls it took. Statuses are those of err.h. */
#ifndef LRLS_IO_H
#define LRLS_IO_H

#include <stddef.h>
#include <sys/socket.h>

typedef long long io_ms;

io_ms io_now(void);
io_ms io_deadline(long timeout_ms);

/* A deadline not fixed yet: `timeout_ms` from the moment a read first
 * needs the clock. A receive served from what is buffered never reads the
 * clock; conn.c fixes it (io_deadline_fix) before its first syscall. Only
 * conn_recv_*, conn_send, io_send_all and tls_write_all take one (a send
 * that goes out in one syscall reads no clock either); everything else
 * wants a fixed deadline. */
static inline io_ms io_deadline_lazy(long timeout_ms)
{
    return -(io_ms)timeout_ms - 1;
}

static inline io_ms io_deadline_fix(io_ms *deadline)
{
    if (*deadline < 0)
        *deadline = io_now() + (-*deadline - 1);
    return *deadline;
}

/* Whether the deadline has passed, fixing a lazy one: one clock read. */
static inline int io_deadline_passed(io_ms *deadline)
{
    io_ms now = io_now();
    if (*deadline < 0)
        *deadline = now + (-*deadline - 1);
    return now >= *deadline;
}

/* The time left until the deadline as a poll() timeout: 0 once it passed,
 * never past INT_MAX (a longer wait polls again), never negative (which
 * would wait forever). */
int io_poll_ms(io_ms deadline);

/* Waits until fd is readable (want_write 0) or writable (1), or until the
 * deadline. */
int io_wait(int fd, int want_write, io_ms deadline);

/* Creates a non-blocking, close-on-exec socket of sa's family, binds it to
 * `local` when given, and connects it to sa. On success *fd_out owns it. */
int io_connect(const struct sockaddr *sa, socklen_t salen,
               const struct sockaddr *local, socklen_t locallen,
               io_ms deadline, int *fd_out);

/* Sends all of p[0..len) unless an error or the deadline comes first; *sent
 * says how much went out either way. The deadline is checked after every
 * partial send, not only before waits. Never raises SIGPIPE. */
int io_send_all(int fd, const char *p, size_t len, io_ms deadline,
                size_t *sent);

/* One read of at most max bytes, waiting for data until the deadline. EOF is
 * ERR_CLOSED. *waited, kept by the caller between reads, picks the order:
 * after a read that found nothing, the next polls first (request/response:
 * the answer is seldom there yet, and poll + recv beats recv + poll +
 * recv); after a read that filled the buffer, the next reads at once (bulk:
 * the data usually is there). */
int io_read(int fd, char *p, size_t max, io_ms deadline, size_t *got,
            int *waited);

/* The state of an idle connection, without consuming anything: 0 nothing
 * to read, 1 bytes are waiting, ERR_CLOSED the peer closed or reset it
 * (even with bytes waiting before that). Never waits. */
int io_peek(int fd);

int io_setopt_int(int fd, int level, int name, int value);

#endif
