/*
 * clock.h: the clock and the sleep of both test peers (peer.c, tls_peer.c),
 * each a translation unit of its own that includes this once.
 */
#ifndef PEER_CLOCK_H
#define PEER_CLOCK_H

#include <errno.h>
#include <time.h>

/* seconds of CLOCK_MONOTONIC, for the peers' deadlines */
static inline double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* sleeps ms milliseconds, a signal's interruption included */
static inline void sleep_ms(long ms)
{
    struct timespec req, rem;
    req.tv_sec = ms / 1000;
    req.tv_nsec = (ms % 1000) * 1000000L;
    while (nanosleep(&req, &rem) < 0 && errno == EINTR)
        req = rem;
}

#endif
