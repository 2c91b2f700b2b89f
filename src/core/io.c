/* POLLRDHUP is a Linux extension; elsewhere a hang-up after data shows
 * only once the data is read */
#define _GNU_SOURCE
#include "core/io.h"
#include "core/err.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#ifdef POLLRDHUP
#define IO_POLLRDHUP POLLRDHUP
#else
#define IO_POLLRDHUP 0
#endif

/* A connected descriptor blocks (stream_socket) so that io_read_sleeping
 * can wait inside recv(); every other read and write says MSG_DONTWAIT and
 * never blocks. */
#define IO_NOWAIT MSG_DONTWAIT

io_ms io_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (io_ms)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

io_ms io_deadline(long timeout_ms)
{
    return io_now() + timeout_ms;
}

int io_poll_ms(io_ms deadline)
{
    io_ms left = deadline - io_now();
    if (left <= 0)
        return 0;
    return left < INT_MAX ? (int)left : INT_MAX;
}

void io_sleep_until(io_ms deadline)
{
    int ms;
    while ((ms = io_poll_ms(deadline)) > 0)
        poll(NULL, 0, ms);
}

int io_wait(int fd, int want_write, io_ms deadline)
{
    struct pollfd p;
    p.fd = fd;
    p.events = want_write ? POLLOUT : POLLIN;
    for (;;) {
        int ms = io_poll_ms(deadline), r;
        if (ms == 0)
            return ERR_TIMEOUT;
        p.revents = 0;
        r = poll(&p, 1, ms);
        if (r > 0)
            return ERR_OK; /* errors and hangups surface in the next syscall */
        if (r < 0 && errno != EINTR)
            return errno;
    }
}

/* A close-on-exec TCP or unix stream socket that blocks: io_connect waits
 * in connect() and io_read_sleeping in recv(), each under its socket
 * timeout; every other read and write says MSG_DONTWAIT. */
static int stream_socket(int family)
{
#ifdef SOCK_CLOEXEC
    return socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
#else
    int fd = socket(family, SOCK_STREAM, 0), e;
    if (fd >= 0 && fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
        e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
#endif
}

static int set_timeout(int fd, int name, long ms)
{
    struct timeval tv;
    tv.tv_sec = ms / 1000;
    tv.tv_usec = (ms % 1000) * 1000;
    return setsockopt(fd, SOL_SOCKET, name, &tv, sizeof tv) < 0 ? errno
                                                                : ERR_OK;
}

int io_connect(const struct sockaddr *sa, socklen_t salen,
               const struct sockaddr *local, socklen_t locallen,
               io_ms deadline, int *fd_out)
{
    int fd, rc, soerr = 0, ms = io_poll_ms(deadline);
    socklen_t errlen = sizeof soerr;

    /* a zero socket timeout would be none: a passed deadline is a timeout */
    if (ms == 0)
        return ERR_TIMEOUT;
    fd = stream_socket(sa->sa_family);
    if (fd < 0)
        return errno;
#ifdef SO_NOSIGPIPE
    io_setopt_int(fd, SOL_SOCKET, SO_NOSIGPIPE, 1);
#endif
    rc = set_timeout(fd, SO_SNDTIMEO, ms);
    if (rc != ERR_OK)
        goto fail;
    if (local != NULL && bind(fd, local, locallen) < 0) {
        rc = errno;
        goto fail;
    }
    /* one syscall where poll + getsockopt follow a non-blocking one */
    if (connect(fd, sa, salen) == 0)
        goto done;
    if (errno != EINPROGRESS && errno != EINTR && errno != EAGAIN
        && errno != EALREADY) {
        rc = errno;
        goto fail;
    }
    /* the socket timeout ran out (EINPROGRESS) or a signal came: the
     * connect goes on in the kernel until the deadline */
    rc = io_wait(fd, 1, deadline);
    if (rc != ERR_OK)
        goto fail;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &errlen) < 0) {
        rc = errno;
        goto fail;
    }
    if (soerr != 0) {
        rc = soerr;
        goto fail;
    }
done:
    *fd_out = fd;
    return ERR_OK;
fail:
    close(fd);
    return rc;
}

int io_send_all(int fd, const char *p, size_t len, io_ms deadline,
                size_t *sent)
{
    size_t done = 0;
    int rc = ERR_OK;

    while (done < len) {
        ssize_t n = send(fd, p + done, len - done, MSG_NOSIGNAL | IO_NOWAIT);
        if (n > 0) {
            done += (size_t)n;
            /* a peer that reads as fast as we write never makes us wait,
             * where the deadline is checked otherwise */
            if (done < len && io_deadline_passed(&deadline)) {
                rc = ERR_TIMEOUT;
                break;
            }
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            rc = io_wait(fd, 1, io_deadline_fix(&deadline));
            if (rc != ERR_OK)
                break;
            continue;
        }
        rc = n < 0 ? errno : EPIPE;
        break;
    }
    *sent = done;
    return rc;
}

int io_read(int fd, char *p, size_t max, io_ms deadline, size_t *got,
            int *waited)
{
    int rc;

    *got = 0;
    if (*waited) {
        rc = io_wait(fd, 0, deadline);
        if (rc != ERR_OK)
            return rc;
    }
    for (;;) {
        ssize_t n = recv(fd, p, max, IO_NOWAIT);
        if (n > 0) {
            /* a read that fills the buffer means more is coming: bulk */
            if ((size_t)n == max)
                *waited = 0;
            *got = (size_t)n;
            return ERR_OK;
        }
        if (n == 0)
            return ERR_CLOSED;
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return errno;
        *waited = 1;
        rc = io_wait(fd, 0, deadline);
        if (rc != ERR_OK)
            return rc;
    }
}

int io_peek(int fd)
{
    struct pollfd p;

    /* a hang-up counts even when bytes came before it, as nginx's epoll
     * reports it; poll tells it where the system can */
    p.fd = fd;
    p.events = POLLIN | IO_POLLRDHUP;
    p.revents = 0;
    if (poll(&p, 1, 0) < 0)
        return errno == EINTR ? 0 : errno;
    if (p.revents & (POLLHUP | POLLERR | IO_POLLRDHUP))
        return ERR_CLOSED;
    if (!(p.revents & POLLIN))
        return 0;
    return io_idle_probe(fd);
}

int io_read_sleeping(int fd, char *p, size_t max, long ms, int *rcvtimeo,
                     size_t *got)
{
    ssize_t n;

    *got = 0;
    if (ms <= 0 || ms > INT_MAX)
        return EAGAIN;
    if (*rcvtimeo != (int)ms) {
        if (set_timeout(fd, SO_RCVTIMEO, ms) != ERR_OK)
            return EAGAIN;
        *rcvtimeo = (int)ms;
    }
    n = recv(fd, p, max, 0);
    if (n > 0) {
        *got = (size_t)n;
        return ERR_OK;
    }
    if (n == 0)
        return ERR_CLOSED;
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
        return EAGAIN;
    return errno;
}

int io_idle_probe(int fd)
{
    char c;
    ssize_t n;

    do {
        n = recv(fd, &c, 1, MSG_PEEK | IO_NOWAIT);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return 0;
    return n > 0 ? 1 : ERR_CLOSED;
}

int io_setopt_int(int fd, int level, int name, int value)
{
    if (setsockopt(fd, level, name, &value, sizeof value) < 0)
        return errno;
    return ERR_OK;
}
