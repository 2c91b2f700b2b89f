/* until_find against a naive search over random patterns and streams. */
#include "check.h"
#include "core/until.h"

#include <stdlib.h>
#include <string.h>

static long naive_find(const char *pat, size_t m, const char *d, size_t n)
{
    size_t i;
    for (i = 0; i + m <= n; i++)
        if (memcmp(d + i, pat, m) == 0)
            return (long)i;
    return -1;
}

/* Start of the longest suffix of d that is a proper prefix of pat. */
static size_t naive_hold(const char *pat, size_t m, const char *d, size_t n)
{
    size_t k;
    for (k = m - 1 < n ? m - 1 : n; k > 0; k--)
        if (memcmp(d + n - k, pat, k) == 0)
            return n - k;
    return n;
}

static unsigned rnd(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 16) & 0x7fff;
}

int main(void)
{
    unsigned seed = 42;
    int iter;
    size_t hold;
    until_t *m = until_new("--ab", 4);

    CHECK("finds at 0", until_find(m, "--abx", 5, 0, &hold) == 0);
    CHECK("finds later", until_find(m, "x---ab", 6, 0, &hold) == 2);
    CHECK("tail prefix held", until_find(m, "xyz--a", 6, 0, &hold) == -1
                                  && hold == 3);
    CHECK("no prefix", until_find(m, "xyz", 3, 0, &hold) == -1 && hold == 3);
    CHECK("resume from hold", until_find(m, "xyz--ab", 7, 3, &hold) == 3);
    free(m);

    /* random patterns over a 3-letter alphabet hit overlaps constantly */
    for (iter = 0; iter < 200000; iter++) {
        char pat[8], data[64];
        size_t pm = 1 + rnd(&seed) % 6, n = rnd(&seed) % 40, i, from;
        long got, want;
        for (i = 0; i < pm; i++)
            pat[i] = (char)('a' + rnd(&seed) % 3);
        for (i = 0; i < n; i++)
            data[i] = (char)('a' + rnd(&seed) % 3);
        m = until_new(pat, pm);
        want = naive_find(pat, pm, data, n);
        got = until_find(m, data, n, 0, &hold);
        CHECK("random find", got == want);
        if (want < 0)
            CHECK("random hold", hold == naive_hold(pat, pm, data, n));
        /* a search resumed from hold after more bytes arrive agrees too */
        if (want < 0 && n > 0) {
            size_t more = n + rnd(&seed) % 20;
            if (more > sizeof data)
                more = sizeof data;
            for (i = n; i < more; i++)
                data[i] = (char)('a' + rnd(&seed) % 3);
            from = hold;
            got = until_find(m, data, more, from, &hold);
            CHECK("resumed find", got == naive_find(pat, pm, data, more));
        }
        free(m);
        if (check_failed > 10)
            break;
    }
    return check_report("until_find matches a naive search");
}
