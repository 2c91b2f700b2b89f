/* The receiveuntil matcher: a pattern compiled once into a failure table
 * (Knuth-Morris-Pratt), then run over the receive buffer as bytes arrive.
 *
 * A search keeps its place in an until_scan_t between calls, so the bytes
 * already searched are never searched again however the stream arrives,
 * and each byte is compared a bounded number of times whatever the
 * pattern: the work is linear in the bytes read, and a hostile peer sending
 * endless near-matches of a long pattern costs no more than other bytes. */
#ifndef LRLS_UNTIL_H
#define LRLS_UNTIL_H

#include <stddef.h>

typedef struct {
    size_t len;
    const unsigned char *pat; /* the pattern, stored after border[] */
    /* the index of the pattern's least common byte (until_new's guess):
     * the search looks for it rather than for the first byte, so that it
     * stops as seldom as it can in a stream that does not match */
    size_t rare;
    /* border[q], 0 < q <= len: the length of the longest proper prefix of
     * pat[0..q) that is also its suffix. After a mismatch with q bytes
     * matched, border[q] bytes are still matched: no shorter shift of the
     * pattern can succeed. */
    size_t border[];
} until_t;

/* How far a search got in the data: data[0..pos) has been scanned, and it
 * ends with pat[0..matched), the longest such prefix (matched == len: a
 * full match, the first one in the data). All zero: nothing scanned yet. */
typedef struct {
    size_t pos;
    size_t matched;
} until_scan_t;

/* A matcher for pat[0..n), n > 0; NULL when out of memory, for n == 0,
 * and for n so large that the table's size would overflow. free() it. */
until_t *until_new(const char *pat, size_t n);

/* Scans data[s->pos..len), len >= s->pos: the data is what the previous
 * calls saw (less until_drop) with bytes appended. Returns 1 when the data
 * holds a match, which starts at until_start(s); it stays reported until
 * dropped. Returns 0 otherwise; then data[0..until_start(s)) can never be
 * part of a match, and the rest is a partial match waiting for bytes. */
int until_find(const until_t *m, until_scan_t *s, const char *data,
               size_t len);

static inline size_t until_start(const until_scan_t *s)
{
    return s->pos - s->matched;
}

/* The first n bytes of the data are gone (consumed by this reader or any
 * other): what was scanned of the rest stays scanned. Cutting into a
 * partial match keeps its longest part that is still a prefix of the
 * pattern. */
void until_drop(const until_t *m, until_scan_t *s, size_t n);

#endif
