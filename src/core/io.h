/* Socket I/O where every operation has one deadline.
 *
 * A deadline is an absolute time on the monotonic clock, in milliseconds; an
 * operation that cannot finish before it returns ERR_TIMEOUT, however many
 * syscalls it took. Statuses are those of err.h. */
#ifndef LRLS_IO_H
#define LRLS_IO_H

#include <stddef.h>
#include <sys/socket.h>

/* send()'s flag against SIGPIPE, for every file that sends; where it is
 * missing (macOS), SO_NOSIGPIPE is set on the socket instead */
#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

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

/* The timeout of a lazy deadline not fixed yet, in ms; 0 for any other. */
static inline long io_deadline_lazy_ms(io_ms deadline)
{
    return deadline < 0 ? (long)(-deadline - 1) : 0;
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

/* Sleeps until the deadline, signals or not. */
void io_sleep_until(io_ms deadline);

/* Waits until fd is readable (want_write 0) or writable (1), or until the
 * deadline. */
int io_wait(int fd, int want_write, io_ms deadline);

/* Creates a close-on-exec socket of sa's family, binds it to `local` when
 * given, and connects it to sa. On success *fd_out owns it. The descriptor
 * blocks, for io_read_sleeping: every other function here passes
 * MSG_DONTWAIT, and a caller doing its own I/O on it must too. */
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

/* One read that waits inside recv() for data, EOF or `ms` milliseconds
 * (the descriptor's SO_RCVTIMEO, set when *rcvtimeo, the value it has, is
 * another): a call's first wait in one syscall where poll + recv take two.
 * EAGAIN: nothing came, because the timer ran out (the caller's deadline
 * says whether it did), a signal came, or the descriptor does not block;
 * the caller goes on with io_read. */
int io_read_sleeping(int fd, char *p, size_t max, long ms, int *rcvtimeo,
                     size_t *got);

/* What an idle connection's peer did, in one syscall: 0 nothing, 1 it sent
 * bytes, ERR_CLOSED it closed or reset it. Unlike io_peek it does not say
 * which of data and a close came first; the pool only asks whether a
 * connection is fit to hand out. */
int io_idle_probe(int fd);

int io_setopt_int(int fd, int level, int name, int value);

#endif
