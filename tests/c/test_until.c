/* The receiveuntil matcher: its failure table, and its searches against a
 * naive search over random patterns and streams fed in pieces. */
#include "check.h"
#include "core/until.h"

#include <stdint.h>
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

/* The longest proper border of p[0..q), the slow way. */
static size_t naive_border(const char *p, size_t q)
{
    size_t k;
    for (k = q - 1; k > 0; k--)
        if (memcmp(p, p + q - k, k) == 0)
            return k;
    return 0;
}

/* What a search of d[0..n) must leave: the match or the held partial. */
static int agrees(const until_scan_t *s, int hit, const char *pat, size_t m,
                  const char *d, size_t n)
{
    long want = naive_find(pat, m, d, n);
    if (want >= 0)
        return hit && until_start(s) == (size_t)want
               && s->pos == (size_t)want + m && s->matched == m;
    return !hit && s->pos == n && until_start(s) == naive_hold(pat, m, d, n);
}

static unsigned rnd(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 16) & 0x7fff;
}

static int table_is(const char *pat, const size_t *want)
{
    until_t *m = until_new(pat, strlen(pat));
    size_t q;
    int ok = m != NULL;

    for (q = 1; ok && q <= m->len; q++)
        ok = m->border[q] == want[q - 1];
    free(m);
    return ok;
}

static void test_tables(void)
{
    static const size_t aaaa[] = {0, 1, 2, 3};
    static const size_t abab[] = {0, 0, 1, 2};
    static const size_t aabaab[] = {0, 1, 0, 1, 2, 3};
    static const size_t one[] = {0};
    static const size_t abcabd[] = {0, 0, 0, 1, 2, 0};
    static const size_t aabaaab[] = {0, 1, 0, 1, 2, 2, 3};
    static const size_t crlf2[] = {0, 0, 1, 2};
    unsigned seed = 7;
    int iter;

    CHECK("table: aaaa", table_is("aaaa", aaaa));
    CHECK("table: abab", table_is("abab", abab));
    CHECK("table: aabaab", table_is("aabaab", aabaab));
    CHECK("table: single byte", table_is("x", one));
    CHECK("table: abcabd", table_is("abcabd", abcabd));
    CHECK("table: aabaaab", table_is("aabaaab", aabaaab));
    CHECK("table: \\r\\n\\r\\n", table_is("\r\n\r\n", crlf2));

    /* random patterns over two letters: borders within borders */
    for (iter = 0; iter < 2000; iter++) {
        char pat[40];
        size_t n = 1 + rnd(&seed) % sizeof pat, q, i;
        until_t *m;
        for (i = 0; i < n; i++)
            pat[i] = (char)('a' + rnd(&seed) % 2);
        m = until_new(pat, n);
        CHECK("table: allocated", m != NULL);
        if (m == NULL)
            return;
        for (q = 1; q <= n; q++)
            CHECK("table: random", m->border[q] == naive_border(pat, q));
        free(m);
    }

    /* a size whose table would not fit in memory is refused, not wrapped
     * into a small block (the pattern is never read then) */
    CHECK("table: huge pattern refused", until_new("x", SIZE_MAX / 2) == NULL);
    CHECK("table: largest pattern refused", until_new("x", SIZE_MAX) == NULL);
    CHECK("table: just past the limit", until_new("x", (SIZE_MAX
          - sizeof(until_t)) / (sizeof(size_t) + 1)) == NULL);
    /* just within it: the arithmetic holds and malloc says no */
    CHECK("table: at the limit", until_new("x", (SIZE_MAX - sizeof(until_t))
          / (sizeof(size_t) + 1) - 1) == NULL);
    CHECK("table: empty pattern refused", until_new("x", 0) == NULL);
}

static void test_fixed(void)
{
    until_scan_t s = {0, 0};
    until_t *m = until_new("--ab", 4);

    CHECK("finds at 0", until_find(m, &s, "--abx", 5) == 1
                            && until_start(&s) == 0);
    memset(&s, 0, sizeof s);
    CHECK("finds later", until_find(m, &s, "x---ab", 6) == 1
                             && until_start(&s) == 2);
    memset(&s, 0, sizeof s);
    CHECK("tail prefix held", until_find(m, &s, "xyz--a", 6) == 0
                                  && until_start(&s) == 3 && s.pos == 6);
    CHECK("resumed with the rest", until_find(m, &s, "xyz--abQ", 8) == 1
                                       && until_start(&s) == 3);
    CHECK("a match stays reported", until_find(m, &s, "xyz--abQ", 8) == 1
                                        && until_start(&s) == 3);
    until_drop(m, &s, 7);
    CHECK("consumed through the match: a fresh start",
          s.pos == 0 && s.matched == 0);
    memset(&s, 0, sizeof s);
    CHECK("no prefix", until_find(m, &s, "xyz", 3) == 0
                           && until_start(&s) == 3);
    free(m);

    /* the search keys on the pattern's least common byte ('-' here, not
     * the CR), and still holds a partial match at the end that stops
     * before that byte, or starts in the last bytes where it is missing */
    m = until_new("\r\n--part", 8);
    CHECK("rare byte: chosen", m != NULL && m->rare == 2);
    memset(&s, 0, sizeof s);
    CHECK("rare byte: line ends pass",
          until_find(m, &s, "ab\r\ncd\r\nef\r\ngh\r\n--part!", 23) == 1
              && until_start(&s) == 14);
    memset(&s, 0, sizeof s);
    CHECK("rare byte: partial before it held",
          until_find(m, &s, "ab\r\ncd\r\nefgh\r", 13) == 0
              && until_start(&s) == 12 && s.matched == 1);
    CHECK("rare byte: then completed",
          until_find(m, &s, "ab\r\ncd\r\nefgh\r\n--part", 20) == 1
              && until_start(&s) == 12);
    memset(&s, 0, sizeof s);
    CHECK("rare byte: partial through it held",
          until_find(m, &s, "abcdefghij\r\n--pa", 16) == 0
              && until_start(&s) == 10 && s.matched == 6);
    memset(&s, 0, sizeof s);
    CHECK("rare byte: a false candidate",
          until_find(m, &s, "abcd\r\n--pax\r\n--part", 19) == 1
              && until_start(&s) == 11);
    free(m);

    /* a single byte: the memchr path alone */
    m = until_new("\n", 1);
    memset(&s, 0, sizeof s);
    CHECK("one byte", until_find(m, &s, "ab\ncd", 5) == 1
                          && until_start(&s) == 2);
    until_drop(m, &s, 3);
    CHECK("one byte: none left", until_find(m, &s, "cd", 2) == 0
                                     && until_start(&s) == 2);
    free(m);
}

/* A partial match cut by another reader: what is left of it must still be
 * matched as far as it goes, no further. */
static void test_drop(void)
{
    until_t *m = until_new("abcabd", 6);
    until_scan_t s = {0, 0};

    /* "xxabcab" holds "abcab"; taking "xxabc" leaves "ab", a prefix */
    CHECK("drop: held", until_find(m, &s, "xxabcab", 7) == 0
                            && until_start(&s) == 2 && s.matched == 5);
    until_drop(m, &s, 5);
    CHECK("drop: what is left of the partial match",
          s.pos == 2 && s.matched == 2);
    CHECK("drop: it completes", until_find(m, &s, "abcabd", 6) == 1
                                    && until_start(&s) == 0);
    free(m);

    /* taking "xxab" leaves "cab": only its "ab" is a prefix */
    m = until_new("abcabd", 6);
    memset(&s, 0, sizeof s);
    until_find(m, &s, "xxabcab", 7);
    until_drop(m, &s, 4);
    CHECK("drop: the longest part left that is a prefix",
          s.pos == 3 && s.matched == 2);
    CHECK("drop: then a match after it", until_find(m, &s, "cabcabd", 7) == 1
                                             && until_start(&s) == 1);
    /* taking bytes before the match keeps the match */
    until_drop(m, &s, 1);
    CHECK("drop: before the match", until_find(m, &s, "abcabd", 6) == 1
                                        && until_start(&s) == 0);
    /* taking part of a full match: "abd" is left, no prefix of it */
    until_drop(m, &s, 3);
    CHECK("drop: into a full match", s.pos == 3 && s.matched == 0);
    free(m);

    /* "aabaab" matched whole; taking "aa" leaves "baab", whose "aab" is
     * a prefix (the table's border of the whole pattern) */
    m = until_new("aabaab", 6);
    memset(&s, 0, sizeof s);
    CHECK("drop: periodic match", until_find(m, &s, "aabaab", 6) == 1);
    until_drop(m, &s, 2);
    CHECK("drop: into a periodic match", s.pos == 4 && s.matched == 3);
    CHECK("drop: completes again", until_find(m, &s, "baabaab", 7) == 1
                                       && until_start(&s) == 1);
    free(m);
}

/* Random patterns over 2 or 3 letters hit overlaps constantly (and are
 * longer than the memcmp peek of a candidate, or not); the stream comes in
 * random pieces, and random amounts are consumed between searches (as
 * matches, timeouts, sized reads and other readers do). */
static void test_random(void)
{
    unsigned seed = 42;
    int iter;

    for (iter = 0; iter < 100000 && check_failed <= 10; iter++) {
        char pat[16], data[96], work[96];
        size_t pm = 1 + rnd(&seed) % sizeof pat, n = 0, i, cut;
        unsigned letters = 2 + rnd(&seed) % 2;
        until_scan_t s = {0, 0};
        until_t *m;
        int round;

        for (i = 0; i < pm; i++)
            pat[i] = (char)('a' + rnd(&seed) % letters);
        m = until_new(pat, pm);
        for (round = 0; round < 12; round++) {
            size_t more = rnd(&seed) % 12;
            int hit;
            if (n + more > sizeof data)
                more = sizeof data - n;
            for (i = n; i < n + more; i++)
                data[i] = (char)('a' + rnd(&seed) % letters);
            n += more;
            /* the bytes a search already passed must never be read again:
             * garble them in the copy it is given */
            memcpy(work, data, n);
            for (i = 0; i < s.pos; i++)
                work[i] = 'z';
            hit = until_find(m, &s, work, n);
            CHECK("random: split search", agrees(&s, hit, pat, pm, data, n));
            /* consume: through the match, or any amount */
            cut = hit && rnd(&seed) % 2 ? until_start(&s) + pm
                                        : rnd(&seed) % (n + 1);
            until_drop(m, &s, cut);
            memmove(data, data + cut, n - cut);
            n -= cut;
            /* what is left must be as if the search had started afresh */
            memcpy(work, data, n);
            {
                until_scan_t fresh = {0, 0};
                int fhit = until_find(m, &fresh, work, s.pos);
                CHECK("random: drop", fresh.pos == s.pos
                                          && fresh.matched == s.matched
                                          && fhit == (s.matched == pm));
            }
        }
        free(m);
    }
}

/* The hostile peer: a 64 KiB pattern "a...ab" against megabytes of "a",
 * in pieces of every size. Each piece is searched only for itself (the
 * garbled bytes before it prove it), and the partial match is always the
 * last 65535 bytes. */
static void test_near_match(void)
{
    size_t plen = 65536, total = 4u << 20, n = 0, i, step = 1;
    char *pat = malloc(plen), *data = malloc(total + 1);
    until_scan_t s = {0, 0};
    until_t *m;
    int ok = 1;

    if (pat == NULL || data == NULL) {
        CHECK("near-match: memory", 0);
        free(pat);
        free(data);
        return;
    }
    memset(pat, 'a', plen - 1);
    pat[plen - 1] = 'b';
    m = until_new(pat, plen);
    CHECK("near-match: matcher", m != NULL);
    while (ok && m != NULL && n < total) {
        size_t more = step < total - n ? step : total - n;
        memset(data + n, 'a', more);
        n += more;
        ok = until_find(m, &s, data, n) == 0 && s.pos == n
             && s.matched == (n < plen - 1 ? n : plen - 1);
        memset(data, 'z', n); /* already scanned: never looked at again */
        step = step * 3 + 1;  /* 1, 4, 13, ... bytes a piece */
    }
    CHECK("near-match: always held, never rescanned", ok);
    /* the "b" completes it: the match starts plen - 1 bytes back */
    data[n] = 'b';
    CHECK("near-match: the match", m != NULL
                                   && until_find(m, &s, data, n + 1) == 1
                                   && until_start(&s) == n + 1 - plen);
    /* the same stream one byte a call */
    memset(&s, 0, sizeof s);
    for (i = 0; ok && m != NULL && i < 300000; i++) {
        data[i] = 'a';
        ok = until_find(m, &s, data, i + 1) == 0;
        data[i] = 'z';
    }
    CHECK("near-match: dripped", ok && s.matched == plen - 1);
    free(m);
    free(pat);
    free(data);
}

int main(void)
{
    test_tables();
    test_fixed();
    test_drop();
    test_random();
    test_near_match();
    return check_report("until: failure table, split searches, drops");
}
