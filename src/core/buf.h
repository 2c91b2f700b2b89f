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

/* One emptied buffer put by for the next buffer to be allocated: the
 * sockets of a Lua state share one (lstate_t), so that a client making a
 * socket per request does not allocate and free a buffer every time.
 * Only a buffer of the chunk size goes there, and one at most: what it
 * holds is bounded. `closed`: the owner is going away, nothing more is
 * put by (rbuf_spare_close). */
typedef struct {
    char *data;
    size_t cap;
    int closed;
} rbuf_spare_t;

/* Frees what the spare holds and keeps it empty from now on. */
void rbuf_spare_close(rbuf_spare_t *s);

typedef struct {
    char *data;
    size_t start, end, cap;
    rbuf_spare_t *spare; /* where rbuf_free puts the buffer by; NULL: none */
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

/* Whether the buffer grew for one large read: rbuf_trim gives it back. */
static inline int rbuf_oversized(const rbuf_t *b)
{
    return b->cap > RBUF_KEEP && b->cap > b->chunk;
}

/* Gives back memory grown for one large read once it is no longer needed:
 * after every read, so the common case (nothing grown) costs a compare. */
static inline void rbuf_trim(rbuf_t *b)
{
    if (rbuf_oversized(b))
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

/* The first line of the buffer when it is short and ends the usual way:
 * found a word at a time, with no call, where memchr for the LF and again
 * for a CR cost more than the line. When the first CR or LF among the
 * first RBUF_SHORT_WORDS whole 8-byte words is an LF, or a CR right before
 * an LF, returns the line's length without that end and sets *consume to
 * its length with it. Otherwise -1: no end there, a CR inside the line,
 * less than a word buffered; the caller goes the general way
 * (rbuf_find_line, rbuf_strip_cr). Reads whole words of the data only. */
#define RBUF_SHORT_WORDS 4
#if defined(__GNUC__) && defined(__BYTE_ORDER__) \
    && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
static inline long rbuf_short_line(const rbuf_t *b, size_t *consume)
{
    const uint64_t ones = 0x0101010101010101ULL;
    const uint64_t highs = 0x8080808080808080ULL;
    size_t len = rbuf_len(b), i;
    const char *s;

    if (len < 8)
        return -1;
    s = b->data + b->start;
    for (i = 0; i + 8 <= len && i < 8 * RBUF_SHORT_WORDS; i += 8) {
        uint64_t w, lf, cr, m;
        size_t at;
        memcpy(&w, s + i, 8);
        lf = w ^ (ones * '\n');
        cr = w ^ (ones * '\r');
        /* a byte's high bit where it is LF or CR: exact at the lowest
         * such byte (a borrow can only flag bytes above it) */
        m = ((lf - ones) & ~lf) | ((cr - ones) & ~cr);
        m &= highs;
        if (m == 0)
            continue;
        at = i + (size_t)__builtin_ctzll(m) / 8;
        if (s[at] == '\n') {
            *consume = at + 1;
            return (long)at;
        }
        if (at + 1 < len && s[at + 1] == '\n') {
            *consume = at + 2;
            return (long)at;
        }
        return -1;
    }
    return -1;
}
#else
static inline long rbuf_short_line(const rbuf_t *b, size_t *consume)
{
    (void)b;
    (void)consume;
    return -1;
}
#endif

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
