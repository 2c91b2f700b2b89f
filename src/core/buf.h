/* The receive buffer: bytes read from the peer and not yet handed to the
 * caller live in data[start..end). */
#ifndef LRLS_BUF_H
#define LRLS_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* What one refill asks the kernel for, at least, unless set otherwise
 * (rbuf_t.chunk; native.set_buffer_size). */
#define RBUF_CHUNK 16384
#define RBUF_CHUNK_MIN 512
#define RBUF_CHUNK_MAX (64 * 1024 * 1024)
/* A buffer larger than this (or than its chunk) is given back after the
 * read that grew it. */
#define RBUF_KEEP (256 * 1024)
/* The most one call may hold, unless set otherwise (rbuf_t.max;
 * native.set_max_buffer): a line, '*a' or receiveuntil read grows with
 * what the peer sends, and the peer must not choose how much memory we
 * use. Generous: far beyond any sane line or header block, and still small
 * enough that a few hundred flooded connections fit in memory. */
#define RBUF_MAX (16 * 1024 * 1024)
#define RBUF_MAX_MIN 512

typedef struct {
    char *data;
    size_t start, end, cap;
    size_t chunk; /* the refill size; kept by rbuf_free */
    size_t max;   /* the most bytes it may hold (a read needing more fails
                   * with ERR_TOO_LARGE); kept by rbuf_free */
    /* The stream offset of data[start]: every byte consumed or thrown away
     * since rbuf_init. Kept by rbuf_free, so that an offset never names
     * two bytes, even across connections: a reader that remembers where it
     * was (a receiveuntil iterator) sees what others took meanwhile. */
    uint64_t offset;
} rbuf_t;

void rbuf_init(rbuf_t *b);
void rbuf_free(rbuf_t *b);

static inline size_t rbuf_len(const rbuf_t *b) { return b->end - b->start; }
/* (no arithmetic on a buffer not yet allocated: NULL + 0 is undefined) */
static inline char *rbuf_ptr(const rbuf_t *b) { return b->data ? b->data + b->start : b->data; }
static inline size_t rbuf_space(const rbuf_t *b) { return b->cap - b->end; }
static inline char *rbuf_tail(const rbuf_t *b) { return b->data + b->end; }

/* Makes room for at least `want` more bytes after end, moving the data to
 * the front or growing the buffer, to no more than max (or chunk) bytes
 * when the data fits in that. Returns 0, or ERR_NOMEM. */
int rbuf_reserve(rbuf_t *b, size_t want);

static inline void rbuf_commit(rbuf_t *b, size_t n) { b->end += n; }

static inline void rbuf_consume(rbuf_t *b, size_t n)
{
    b->offset += n;
    b->start += n;
    if (b->start == b->end)
        b->start = b->end = 0;
}

void rbuf_shrink(rbuf_t *b);

/* Gives back memory grown for one large read once it is no longer needed:
 * after every read, so the common case (nothing grown) costs a compare. */
static inline void rbuf_trim(rbuf_t *b)
{
    if (b->cap > RBUF_KEEP && b->cap > b->chunk)
        rbuf_shrink(b);
}

/* Offset (from start) of the first '\n' at or after offset `from`, or -1.
 * Inline, as rbuf_strip_cr's common case: one line read costs a call of
 * each less. */
static inline long rbuf_find_line(const rbuf_t *b, size_t from)
{
    size_t len = rbuf_len(b);
    const char *p;

    if (from >= len)
        return -1;
    p = memchr(rbuf_ptr(b) + from, '\n', len - from);
    return p ? (long)(p - rbuf_ptr(b)) : -1;
}

/* rbuf_strip_cr from the first '\r', at cr. */
size_t rbuf_strip_cr_from(rbuf_t *b, char *cr, size_t n);

/* Moves the bytes of data[start..start+n) that are not '\r' to the front of
 * that region and returns their count; the rest of the region is left for
 * the caller to consume. A line with no CR or one CR at its end (CRLF)
 * takes no loop. */
static inline size_t rbuf_strip_cr(rbuf_t *b, size_t n)
{
    char *s = rbuf_ptr(b), *cr;

    /* a buffer never filled has no data at all: memchr(NULL, c, 0) is
     * undefined */
    if (n == 0)
        return 0;
    cr = memchr(s, '\r', n);
    if (cr == NULL)
        return n;
    if (cr == s + n - 1)
        return n - 1;
    return rbuf_strip_cr_from(b, cr, n);
}

#endif
