/* Datagram sockets: what open_to makes of a new descriptor. */
#include "check.h"
#include "core/dgram.h"
#include "core/err.h"

#include <fcntl.h>
#include <sys/socket.h>

int main(void)
{
    dgram_t d;
    int fl, fdfl;

    /* a connected UDP socket needs nobody at the other end */
    dgram_init(&d);
    CHECK("setpeer", dgram_setpeer(&d, "127.0.0.1", 9, io_deadline(1000))
                         == ERR_OK && d.fd >= 0);
    fl = fcntl(d.fd, F_GETFL);
    fdfl = fcntl(d.fd, F_GETFD);
    CHECK("non-blocking", fl >= 0 && (fl & O_NONBLOCK));
    CHECK("only O_NONBLOCK added", fl >= 0 && (fl & O_ACCMODE) == O_RDWR);
    CHECK("close-on-exec", fdfl >= 0 && (fdfl & FD_CLOEXEC));
    dgram_close(&d);
    CHECK("closed", d.fd == -1);
    return check_report("datagram sockets");
}
