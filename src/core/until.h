/* The receiveuntil matcher: a pattern compiled once, then run over the
 * receive buffer as bytes arrive. */
#ifndef LRLS_UNTIL_H
#define LRLS_UNTIL_H

#include <stddef.h>

typedef struct {
    size_t len;
    unsigned char first;
    char pat[];
} until_t;

/* A matcher for pat[0..n), n > 0; NULL when out of memory. free() it. */
until_t *until_new(const char *pat, size_t n);

/* Searches data[from..len) for the pattern. Returns the offset of the first
 * full match, or -1; then *hold is the offset where a trailing partial match
 * begins (len when the data ends with no prefix of the pattern), so that
 * data[0..*hold) can never be part of a match and a later search can start
 * at *hold. Offsets before `from` must be known not to start a match. */
long until_find(const until_t *m, const char *data, size_t len, size_t from,
                size_t *hold);

#endif
