#include "core/dgram.h"
#include "core/err.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

void dgram_init(dgram_t *d)
{
    memset(d, 0, sizeof *d);
    d->fd = -1;
}

void dgram_close(dgram_t *d)
{
    if (d->fd >= 0)
        close(d->fd);
    d->fd = -1;
}

int dgram_bind(dgram_t *d, const char *ip)
{
    int rc = ip[0] == '[' ? ERR_RESOLVE : addr_from_ip(ip, &d->local);
    d->has_local = rc == ERR_OK;
    return rc;
}

/* A unix datagram client must have an address of its own for the server to
 * answer to; Linux gives it a unique abstract one when the path is empty. */
static int autobind_unix(int fd)
{
    struct sockaddr_un un;
    memset(&un, 0, sizeof un);
    un.sun_family = AF_UNIX;
    if (bind(fd, (struct sockaddr *)&un, sizeof(sa_family_t)) < 0)
        return errno;
    return ERR_OK;
}

static int open_to(dgram_t *d, const addr_t *a)
{
    int fd = socket(a->ss.ss_family, SOCK_DGRAM, 0), rc = ERR_OK, fl;

    if (fd < 0)
        return errno;
    /* a failed F_GETFL (-1) would set every flag with O_NONBLOCK */
    fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0
        || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
        rc = errno;
    } else if (a->ss.ss_family == AF_UNIX) {
        rc = autobind_unix(fd);
    } else if (d->has_local
               && bind(fd, (const struct sockaddr *)&d->local.ss,
                       d->local.len) < 0) {
        rc = errno;
    }
    if (rc == ERR_OK && connect(fd, (const struct sockaddr *)&a->ss, a->len) < 0)
        rc = errno;
    if (rc != ERR_OK) {
        close(fd);
        return rc;
    }
    d->fd = fd;
    addr_format((const struct sockaddr *)&a->ss, d->peer, sizeof d->peer);
    return ERR_OK;
}

int dgram_setpeer(dgram_t *d, const char *host, int port, io_ms deadline)
{
    addr_list_t list;
    addr_t un;
    int rc;

    dgram_close(d);
    if (addr_is_unix(host))
        return addr_from_unix(host, &un) == ERR_OK ? open_to(d, &un)
                                                   : ERR_PATH_TOO_LONG;
    rc = addr_resolve(host, port, SOCK_DGRAM, deadline, &list);
    if (rc != ERR_OK)
        return rc;
    rc = open_to(d, &list.v[0]);
    addr_list_free(&list);
    return rc;
}

int dgram_send(dgram_t *d, const char *p, size_t n)
{
    ssize_t sent;

    if (d->fd < 0)
        return ERR_CLOSED;
    do {
        sent = send(d->fd, p, n, MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    if (sent < 0)
        return errno;
    return (size_t)sent == n ? ERR_OK : ERR_PARTIAL;
}

int dgram_recv(dgram_t *d, char *buf, size_t max, io_ms deadline,
               size_t *got)
{
    if (d->fd < 0)
        return ERR_CLOSED;
    for (;;) {
        ssize_t n = recv(d->fd, buf, max, 0);
        if (n >= 0) {
            *got = (size_t)n;
            return ERR_OK;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            int rc = io_wait(d->fd, 0, deadline);
            if (rc != ERR_OK)
                return rc;
        } else if (errno != EINTR) {
            return errno;
        }
    }
}
