/* The receiveuntil matcher, checked against a naive search at two levels.
 *
 * 1. until_find and until_drop alone, used as conn_recv_until uses them:
 *    the stream arrives in the chunks the input chooses; one search state
 *    sees every chunk, another sees the same bytes split at other points;
 *    each match consumes through the pattern, and between chunks the input
 *    consumes more (the bytes before a partial match, some of them, or
 *    part of the partial match too). Every match, every held partial
 *    match and every state left by a drop must be the naive answer, and
 *    the two states must agree: how the bytes arrive changes nothing.
 * 2. conn_recv_until over a socketpair (see stream.h), with sized and
 *    unsized reads, inclusive or not, by two iterators (the second one's
 *    pattern is the second half of the first), mixed with size and line
 *    reads and with the peer closing: data, status and consumption of
 *    every call against the rules of conn.h.
 *
 * Input: flags, pattern length, pattern, then operations (see run_ops). */
#include "stream.h"
#include "core/until.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PAT_MAX 32

typedef struct {
    const uint8_t *p;
    size_t n;
} input_t;

static int take(input_t *in, uint8_t *b)
{
    if (in->n == 0)
        return 0;
    *b = *in->p++;
    in->n--;
    return 1;
}

static uint8_t take0(input_t *in)
{
    uint8_t b = 0;
    take(in, &b);
    return b;
}

/* ---- the naive reference ---------------------------------------------- */

/* Byte loops rather than memcmp: the fuzzer's memcmp hooks made the
 * reference cost more than the code under test. */
FUZZ_UNTRACED static int same(const char *a, const char *b, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

/* The first offset at or after `skip` where pat occurs in d, or -1. The
 * caller passes skip > 0 only for offsets this function already rejected. */
FUZZ_UNTRACED static long naive_find(const char *pat, size_t m,
                                     const char *d, size_t n, size_t skip)
{
    size_t i;
    for (i = skip; i + m <= n; i++)
        if (same(d + i, pat, m))
            return (long)i;
    return -1;
}

/* Where the longest suffix of d that is a proper prefix of pat begins; n
 * when there is none. */
FUZZ_UNTRACED static size_t naive_hold(const char *pat, size_t m,
                                       const char *d, size_t n)
{
    size_t i = n >= m ? n - m + 1 : 0;
    for (; i < n; i++)
        if (same(d + i, pat, n - i))
            return i;
    return n;
}

/* ---- level 1: until_find and until_drop over pieces ------------------- */

/* Whether a search of d[0..n) that ended in state *s, saying `hit`, gives
 * the naive answer: the first match, or else the longest partial match at
 * the end. No match starts before `skip`. */
FUZZ_UNTRACED static int naive_agrees(const char *pat, size_t m,
                                      const char *d, size_t n, size_t skip,
                                      const until_scan_t *s, int hit)
{
    long want = naive_find(pat, m, d, n, skip);
    if (want >= 0)
        return hit && s->pos == (size_t)want + m && s->matched == m;
    return !hit && s->pos == n
           && until_start(s) == naive_hold(pat, m, d, n);
}

typedef struct {
    const until_t *m;
    const char *pat;
    size_t plen;
    char *buf;        /* the whole stream so far */
    size_t len, cap;
    size_t start;     /* consumed so far */
    until_scan_t one; /* searched after every chunk */
    until_scan_t two; /* searched at points of its own as well */
    size_t naive;     /* no match starts before it (relative to start) */
} finder_t;

/* Consumes n bytes: both states must then be where a fresh search of the
 * bytes they had scanned and that are left would be. */
FUZZ_UNTRACED static void finder_drop(finder_t *f, size_t n)
{
    until_scan_t *sc[2];
    int k;

    f->start += n;
    f->naive = f->naive > n ? f->naive - n : 0;
    sc[0] = &f->one;
    sc[1] = &f->two;
    for (k = 0; k < 2; k++) {
        until_drop(f->m, sc[k], n);
        stream_check(naive_agrees(f->pat, f->plen, f->buf + f->start,
                                  sc[k]->pos, f->naive, sc[k],
                                  sc[k]->matched == f->plen),
                     "until_drop: the state left");
    }
}

/* Appends p[0..n) to the stream and searches it as conn_recv_until does:
 * a match consumes through the pattern and the search goes on after it.
 * `split` (0..15): where the second state stops first, in sixteenths of
 * what it has not scanned. `cut`, once no match is left: 0 consume
 * nothing, 1 the bytes before the partial match (a timeout), 2 half of
 * them (a sized read), 3 half of the partial match too (a size or line
 * read, or another iterator). */
FUZZ_UNTRACED static void finder_feed(finder_t *f, const char *p, size_t n,
                                      unsigned split, unsigned cut)
{
    if (f->len + n > f->cap) {
        size_t cap = f->cap;
        char *q;
        while (cap < f->len + n)
            cap *= 2;
        q = realloc(f->buf, cap);
        stream_check(q != NULL, "out of memory");
        f->buf = q;
        f->cap = cap;
    }
    memcpy(f->buf + f->len, p, n);
    f->len += n;

    for (;;) {
        const char *d = f->buf + f->start;
        size_t dn = f->len - f->start, at;
        size_t mid = f->two.pos + (dn - f->two.pos) * split / 16;
        int hit = until_find(f->m, &f->one, d, dn), hit2;

        stream_check(naive_agrees(f->pat, f->plen, d, dn, f->naive, &f->one,
                                  hit), "until_find: match or hold");
        hit2 = until_find(f->m, &f->two, d, mid);
        stream_check(naive_agrees(f->pat, f->plen, d, mid, f->naive,
                                  &f->two, hit2),
                     "until_find: match or hold, split elsewhere");
        hit2 = until_find(f->m, &f->two, d, dn);
        stream_check(hit2 == hit && f->two.pos == f->one.pos
                     && f->two.matched == f->one.matched,
                     "until_find: the split changed the answer");
        at = until_start(&f->one);
        if (!hit) {
            f->naive = dn >= f->plen ? dn - f->plen + 1 : 0;
            if (cut == 1)
                finder_drop(f, at);
            else if (cut == 2)
                finder_drop(f, at / 2);
            else if (cut == 3)
                finder_drop(f, at + (dn - at + 1) / 2);
            return;
        }
        finder_drop(f, at + f->plen);
        stream_check(f->one.pos == 0 && f->two.pos == 0,
                     "until_drop: a consumed match leaves nothing");
    }
}

/* ---- level 2: conn_recv_until ----------------------------------------- */

/* What one call of the receiveuntil iterator must give, by conn.h. */
FUZZ_UNTRACED static int model_until(const stream_t *s, const char *pat,
                                     size_t plen, int inclusive, size_t size,
                                     expect_t *want)
{
    long at = naive_find(pat, plen, s->avail, s->alen, 0);
    size_t hold = naive_hold(pat, plen, s->avail, s->alen);

    if (at >= 0 && (size == 0 || (size_t)at < size)) {
        expect_set(want, ERR_OK, s->avail,
                   (size_t)at + (inclusive ? plen : 0), (size_t)at + plen);
        return 1;
    }
    if (size > 0 && (at >= 0 || hold >= size)) {
        /* size bytes that cannot hold the start of a match */
        expect_set(want, ERR_OK, s->avail, size, size);
    } else {
        /* short of data: what lies before a partial match */
        expect_set(want, model_short(s), s->avail, hold, hold);
    }
    return 0;
}

/* A receiveuntil iterator: its pattern and its place in the stream. */
typedef struct {
    until_t *m;
    const char *pat;
    size_t plen;
    conn_until_t at;
} iter_t;

/* One call of the receiveuntil iterator, core side. size 0 is unsized. */
static void recv_until(stream_t *s, iter_t *it, int inclusive, size_t size)
{
    conn_span_t got;
    expect_t want;
    int found = -1, want_found = 0, rc;

    if (!model_closed(s, &want))
        want_found = model_until(s, it->pat, it->plen, inclusive, size,
                                 &want);
    rc = conn_recv_until(&s->c, it->m, &it->at, inclusive, size,
                         stream_deadline(s, want.rc == ERR_TIMEOUT), &got,
                         &found);
    stream_check(found == want_found, "recv_until: found");
    stream_settle(s, "recv_until", rc, &got, &want);
}

/* ---- the input --------------------------------------------------------- */

/* Maps a byte into the pattern's alphabet when the input asks for it:
 * the pattern's own bytes and one other make overlaps and near-matches
 * frequent. */
FUZZ_UNTRACED static char sym(uint8_t b, int small, const finder_t *f)
{
    if (!small)
        return (char)b;
    if (b % 4 == 3)
        return 'z';
    return f->pat[b % f->plen];
}

/* Up to n bytes of the input into chunk; returns how many. */
FUZZ_UNTRACED static size_t gen_chunk(input_t *in, size_t n, int small,
                                      const finder_t *f, char *chunk)
{
    size_t i;
    for (i = 0; i < n && in->n > 0; i++)
        chunk[i] = sym(take0(in), small, f);
    return i;
}

/* n bytes of near-misses: the first k bytes of the pattern, then gap
 * filler bytes, over and over. With k < plen nothing matches unless the
 * filler completes the pattern, so the data before a match grows past
 * what one read brings. */
FUZZ_UNTRACED static void gen_bulk(const finder_t *f, size_t k, size_t gap,
                                   char filler, char *chunk, size_t n)
{
    size_t i, period = k + gap ? k + gap : 1;
    for (i = 0; i < n; i++)
        chunk[i] = i % period < k ? f->pat[i % period] : filler;
}

/* Operations, one byte each plus operands:
 *   o%4 0,1  write a chunk: length byte, then the bytes; level 1 splits
 *            its search at o>>4 and consumes by (o>>2)%4 (finder_feed)
 *   o%4 2    an until read; o&4: sized, size = 1 + next byte; o&8: by the
 *            second iterator
 *   o%4 3    (o>>2)%4: 0 peer shuts its side, 1 size read (1 + byte),
 *            2 line read, 3 bulk write of (byte+1)*64 bytes: repeats of
 *            the pattern's first (byte % plen) bytes and o>>4 fillers */
static void run_ops(input_t *in, stream_t *s, finder_t *f, iter_t *its,
                    int inclusive, int small)
{
    static char chunk[256 * 64];
    uint8_t o;

    while (take(in, &o)) {
        size_t n, k, w;
        char filler;
        switch (o % 4) {
        case 0:
        case 1:
            n = gen_chunk(in, take0(in), small, f, chunk);
            w = stream_write(s, chunk, n);
            finder_feed(f, chunk, w, o >> 4, (o >> 2) % 4);
            break;
        case 2:
            recv_until(s, &its[(o >> 3) & 1], inclusive,
                       o & 4 ? (size_t)take0(in) + 1 : 0);
            break;
        default:
            switch ((o >> 2) % 4) {
            case 0:
                stream_eof(s);
                break;
            case 1:
                stream_recv_size(s, (size_t)take0(in) + 1);
                break;
            case 2:
                stream_recv_line(s);
                break;
            default:
                filler = sym(take0(in), small, f);
                k = take0(in) % f->plen;
                n = ((size_t)take0(in) + 1) * 64;
                gen_bulk(f, k, (size_t)(o >> 4), filler, chunk, n);
                w = stream_write(s, chunk, n);
                finder_feed(f, chunk, w, 0, 0);
            }
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    input_t in = {data, size};
    char pat[PAT_MAX];
    uint8_t flags, b;
    size_t plen, i;
    int inclusive, small;
    iter_t its[2];
    stream_t s;
    finder_t f;

    if (!take(&in, &flags) || !take(&in, &b))
        return 0;
    inclusive = flags & 1;
    small = (flags >> 1) & 1;
    plen = 1 + (size_t)(b % PAT_MAX);
    for (i = 0; i < plen; i++) {
        uint8_t c = take0(&in);
        /* the pattern itself over 'a'..'c' when small */
        pat[i] = small ? (char)('a' + c % 3) : (char)c;
    }
    memset(its, 0, sizeof its);
    its[0].pat = pat;
    its[0].plen = plen;
    its[1].pat = pat + plen / 2;
    its[1].plen = plen - plen / 2;
    for (i = 0; i < 2; i++) {
        its[i].m = until_new(its[i].pat, its[i].plen);
        stream_check(its[i].m != NULL, "until_new");
    }

    memset(&f, 0, sizeof f);
    f.cap = 4096;
    f.buf = malloc(f.cap);
    stream_check(f.buf != NULL, "out of memory");
    f.m = its[0].m;
    f.pat = pat;
    f.plen = plen;
    stream_open(&s);

    run_ops(&in, &s, &f, its, inclusive, small);

    /* the end of the stream: the next matches come out, then "closed"
     * with what precedes a trailing partial match (a few calls only: a
     * stream of many matches would make the run long, and level 1 has
     * seen them all) */
    stream_eof(&s);
    for (i = 0; i < 8 && !s.closed; i++)
        recv_until(&s, &its[0], inclusive, 0);

    stream_close(&s);
    free(f.buf);
    free(its[0].m);
    free(its[1].m);
    return 0;
}
