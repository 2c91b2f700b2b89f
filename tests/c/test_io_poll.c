/* io_poll_ms: a deadline as a poll() timeout, for every distance. */
#include "check.h"
#include "core/err.h"
#include "core/io.h"

#include <limits.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
    io_ms now = io_now();
    int ms, sv[2];

    CHECK("passed", io_poll_ms(now - 5) == 0);
    CHECK("long passed", io_poll_ms(LLONG_MIN / 2) == 0);
    ms = io_poll_ms(io_now() + 1000);
    CHECK("a second", ms > 900 && ms <= 1000);
    /* past ~24.8 days a cast to int would wrap, possibly negative: wait
     * forever, or not at all */
    CHECK("25 days", io_poll_ms(io_now() + 25LL * 86400 * 1000) == INT_MAX);
    CHECK("2^32 ms", io_poll_ms(io_now() + (1LL << 32)) == INT_MAX);
    CHECK("2^32 + 1 s", io_poll_ms(io_now() + (1LL << 32) + 1000) == INT_MAX);
    CHECK("forever", io_poll_ms(LLONG_MAX) == INT_MAX);

    /* io_wait with such deadlines still returns when the fd is ready */
    CHECK("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    CHECK("write", write(sv[1], "x", 1) == 1);
    CHECK("readable, deadline far", io_wait(sv[0], 0, LLONG_MAX) == ERR_OK);
    CHECK("readable, 2^32 ms",
          io_wait(sv[0], 0, io_now() + (1LL << 32)) == ERR_OK);
    CHECK("deadline passed", io_wait(sv[0], 0, now - 1) == ERR_TIMEOUT);
    close(sv[0]);
    close(sv[1]);
    return check_report("poll timeouts");
}
