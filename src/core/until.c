#include "core/until.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* How common a byte is in what peers usually send (text, HTTP, JSON,
 * binary with its zeros), higher being more common: a rough order, not a
 * measurement. Only the choice of the byte the search looks for depends
 * on it, never a result. */
static int byte_commonness(unsigned char c)
{
    if (c == ' ')
        return 250;
    if (c >= 'a' && c <= 'z')
        return strchr("etaoinsrhldcu", c) != NULL ? 230 : 200;
    if (c == '\r' || c == '\n')
        return 190;
    if (c >= '0' && c <= '9')
        return 170;
    if (c >= 'A' && c <= 'Z')
        return 160;
    if (c == 0)
        return 150;
    if (strchr(".,-_/:=\"';()", c) != NULL)
        return 120;
    if (c == '\t' || c == 0xff)
        return 100;
    if (c >= 0x80)
        return 60;
    if (c < 0x20 || c == 0x7f)
        return 30;
    return 80; /* other punctuation */
}

until_t *until_new(const char *pat, size_t n)
{
    until_t *m;
    unsigned char *copy;
    size_t q, k;

    /* header, border[0..n], then the pattern's n bytes: a size that
     * would wrap around must fail here, not allocate a short block */
    if (n == 0 || n > (SIZE_MAX - sizeof *m) / (sizeof m->border[0] + 1) - 1)
        return NULL;
    m = malloc(sizeof *m + (n + 1) * sizeof m->border[0] + n);
    if (m == NULL)
        return NULL;
    copy = (unsigned char *)(m->border + n + 1);
    memcpy(copy, pat, n);
    m->len = n;
    m->pat = copy;
    m->rare = 0;
    for (q = 1; q < n; q++)
        if (byte_commonness(copy[q]) < byte_commonness(copy[m->rare]))
            m->rare = q;

    /* border[q + 1] from border[q]: the longest border of pat[0..q + 1)
     * extends some border of pat[0..q) by pat[q]; try them longest first.
     * k grows by at most one per q and every step back shrinks it, so
     * this is linear in n. */
    m->border[0] = 0;
    m->border[1] = 0;
    k = 0;
    for (q = 1; q < n; q++) {
        while (k > 0 && copy[k] != copy[q])
            k = m->border[k];
        if (copy[k] == copy[q])
            k++;
        m->border[q + 1] = k;
    }
    return m;
}

/* How many bytes of a candidate one memcmp checks before the byte-by-byte
 * search takes over: enough to reject most candidates of a normal stream
 * at once, few enough that no byte is compared more than a few times. */
#define UNTIL_PEEK 8

int until_find(const until_t *m, until_scan_t *s, const char *data,
               size_t len)
{
    const unsigned char *d = (const unsigned char *)data;
    const unsigned char *pat = m->pat;
    size_t i = s->pos, q = s->matched, n = m->len, r = m->rare;
    size_t peek = n < UNTIL_PEEK ? n : UNTIL_PEEK;

    /* Each byte is compared at most UNTIL_PEEK times by the memcmp of the
     * candidates before it, and twice (amortized) below: matched grows by
     * one per byte and every step back along the borders shrinks it. */
    while (q < n && i < len) {
        if (q == 0 && len - i >= n) {
            /* nothing matched and room for a whole match: memchr skips to
             * the next place the pattern's rare byte could be at, at
             * memory speed. A match, or a partial one at the end, that
             * starts at c covers d[c + r] when that byte is there, so
             * none starts before the rare byte's next occurrence, less r,
             * nor anywhere but the last r bytes when it has none. */
            const unsigned char *p = memchr(d + i + r, pat[r], len - i - r);
            size_t c;
            if (p == NULL) {
                /* the last r bytes, byte by byte below */
                i = len - r;
                continue;
            }
            c = (size_t)(p - d) - r;
            if (len - c < peek) {
                /* near the end: it may be a partial match */
                i = c;
            } else if (memcmp(d + c, pat, peek) == 0) {
                /* the earliest possible start: its match is the longest */
                i = c + peek;
                q = peek;
            } else {
                /* neither a match nor a partial match at the end can
                 * start here: what follows is searched afresh */
                i = c + 1;
            }
        } else {
            /* a partial match, or less than the pattern left: the bytes go
             * one by one through the table, each may start the partial
             * match to keep */
            unsigned char c = d[i++];
            while (q > 0 && pat[q] != c)
                q = m->border[q];
            if (pat[q] == c)
                q++;
        }
    }
    s->pos = i;
    s->matched = q;
    return q == n;
}

void until_drop(const until_t *m, until_scan_t *s, size_t n)
{
    size_t left;

    if (n >= s->pos) {
        s->pos = 0;
        s->matched = 0;
        return;
    }
    left = s->pos - n;
    /* the scanned bytes left end with the last `left` bytes of
     * pat[0..matched); the borders of pat[0..matched), longest first, are
     * exactly its suffixes that are prefixes of the pattern */
    while (s->matched > left)
        s->matched = m->border[s->matched];
    s->pos = left;
}
