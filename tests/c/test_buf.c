/* The receive buffer: reserve, consume, line search, CR stripping. */
#include "check.h"
#include "core/buf.h"

#include <string.h>

static void put_n(rbuf_t *b, const char *s, size_t n)
{
    rbuf_reserve(b, n);
    memcpy(rbuf_tail(b), s, n);
    rbuf_commit(b, n);
}

static void put(rbuf_t *b, const char *s)
{
    put_n(b, s, strlen(s));
}

/* rbuf_short_line on a buffer holding exactly s[0..n) (start at 0) */
static long short_line(const char *s, size_t n, size_t *consume)
{
    rbuf_t b;
    long r;

    rbuf_init(&b);
    put_n(&b, s, n);
    *consume = 0;
    r = rbuf_short_line(&b, consume);
    rbuf_free(&b);
    return r;
}

/* What the general way (rbuf_find_line, then rbuf_strip_cr) makes of
 * s[0..n): the stripped line's length and *consume, or -1 with no line;
 * *inner_cr says whether a CR other than one right before the LF was
 * stripped. */
static long general_line(const char *s, size_t n, size_t *consume,
                         int *inner_cr)
{
    rbuf_t b;
    long nl, r = -1;

    rbuf_init(&b);
    put_n(&b, s, n);
    nl = rbuf_find_line(&b, 0);
    *inner_cr = 0;
    if (nl >= 0) {
        size_t i;
        for (i = 0; i + 1 < (size_t)nl; i++)
            if (s[i] == '\r')
                *inner_cr = 1;
        *consume = (size_t)nl + 1;
        r = (long)rbuf_strip_cr(&b, (size_t)nl);
    }
    rbuf_free(&b);
    return r;
}

/* Every answer rbuf_short_line gives agrees with the general way, on
 * pseudo-random buffers of bytes near LF and CR in value (where a borrow
 * in the word arithmetic could misplace a match), and it answers every
 * line it is meant to: one ending within the first RBUF_SHORT_WORDS whole
 * words with no CR inside. */
static void short_line_agrees(void)
{
    static const char alphabet[] = { '\r', '\n', 'x', '\0', '\x0b', '\x0c',
                                     '\x0e', '\x09', '\x8a', '\x8d', '\xff',
                                     '\x01' };
    unsigned long seed = 12345;
    int wrong = 0, missed = 0, answered = 0, round;

    for (round = 0; round < 200000; round++) {
        char s[48];
        size_t n, i, c1 = 0, c2 = 0, words;
        long got, want;
        int inner;

        seed = seed * 6364136223846793005UL + 1442695040888963407UL;
        n = (size_t)(seed >> 33) % sizeof s;
        for (i = 0; i < n; i++) {
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            /* mostly plain bytes, so that lines run long enough */
            s[i] = (seed >> 40) % 3 ? 'x'
                                    : alphabet[(seed >> 45) % sizeof alphabet];
        }
        got = short_line(s, n, &c1);
        want = general_line(s, n, &c2, &inner);
        if (got >= 0) {
            answered++;
            if (want != got || c1 != c2 || inner)
                wrong++;
            continue;
        }
        words = n / 8 < RBUF_SHORT_WORDS ? n / 8 : RBUF_SHORT_WORDS;
        /* a line it should have answered: its LF in the whole words it
         * scans (a CR right before the LF may end the last of them) */
        if (want >= 0 && !inner && c2 <= 8 * words)
            missed++;
    }
    CHECK("short lines: answers agree with find_line + strip_cr",
          wrong == 0);
    CHECK("short lines: every short line answered", missed == 0);
    CHECK("short lines: the random buffers held some", answered > 1000);
}

/* The spare: a freed buffer of the chunk size is put by, once, and the
 * next buffer to be allocated takes it; other sizes, a full spare and a
 * closed one free as before. (Under ASan and valgrind a buffer both put by
 * and freed, or lost, would show.) */
static void spare_cases(void)
{
    rbuf_spare_t spare = {NULL, 0, 0};
    rbuf_t a, b;
    char *first;

    rbuf_init(&a);
    rbuf_init(&b);
    a.spare = b.spare = &spare;
    put(&a, "hello");
    first = a.data;
    rbuf_consume(&a, 5);
    rbuf_free(&a);
    CHECK("spare: put by", spare.data == first && spare.cap == RBUF_CHUNK
                               && a.data == NULL && a.offset == 5);
    put(&b, "abc");
    CHECK("spare: taken by the next", b.data == first && spare.data == NULL
                                          && rbuf_len(&b) == 3
                                          && memcmp(rbuf_ptr(&b), "abc", 3) == 0);
    /* b's unread bytes are counted, the buffer is put by all the same */
    rbuf_free(&b);
    CHECK("spare: bytes left unread", spare.data == first && b.offset == 3);
    put(&a, "x");
    CHECK("spare: a again", a.data == first && spare.data == NULL);
    /* one held at most: the second is freed */
    put(&b, "y");
    rbuf_free(&a);
    rbuf_free(&b);
    CHECK("spare: one at most", spare.data == first);
    /* a grown buffer is not put by, and a larger want than the spare
     * takes memory of its own */
    put(&b, "z");
    CHECK("spare: before growing", b.data == first);
    rbuf_reserve(&b, RBUF_CHUNK * 2);
    rbuf_free(&b);
    CHECK("spare: a grown one freed", spare.data == NULL);
    put(&a, "w");
    rbuf_free(&a);
    CHECK("spare: refilled", spare.data != NULL);
    rbuf_reserve(&b, RBUF_CHUNK + 1);
    CHECK("spare: too small for the want", spare.data != NULL
                                               && b.data != spare.data
                                               && b.cap > RBUF_CHUNK);
    rbuf_free(&b);
    /* another chunk size neither takes nor gives */
    b.chunk = RBUF_CHUNK_MIN;
    put(&b, "v");
    CHECK("spare: other chunk takes none", spare.data != NULL
                                               && b.data != spare.data
                                               && b.cap == RBUF_CHUNK_MIN);
    rbuf_free(&b);
    CHECK("spare: nor gives", spare.cap == RBUF_CHUNK);
    /* closed: freed now, nothing put by later */
    rbuf_spare_close(&spare);
    CHECK("spare: closed", spare.data == NULL && spare.closed);
    put(&a, "u");
    rbuf_free(&a);
    CHECK("spare: nothing after closing", spare.data == NULL);
}

int main(void)
{
    rbuf_t b;
    size_t i, kept;

    /* a line read that fails before any byte came: nothing to strip, and
     * no memchr on the buffer's NULL (undefined, even for 0 bytes) */
    rbuf_init(&b);
    CHECK("strip nothing", rbuf_strip_cr(&b, 0) == 0 && b.data == NULL);

    put(&b, "abc\r\ndef\n");
    CHECK("line found", rbuf_find_line(&b, 0) == 4);
    kept = rbuf_strip_cr(&b, 4);
    CHECK("cr stripped", kept == 3 && memcmp(rbuf_ptr(&b), "abc", 3) == 0);
    rbuf_consume(&b, 5);
    CHECK("next line", rbuf_find_line(&b, 0) == 3);
    CHECK("scan from past it", rbuf_find_line(&b, 4) == -1);
    rbuf_consume(&b, 4);
    CHECK("empty resets", b.start == 0 && b.end == 0);

    put(&b, "a\rb\rc\r");
    kept = rbuf_strip_cr(&b, 6);
    CHECK("every cr dropped", kept == 3 && memcmp(rbuf_ptr(&b), "abc", 3) == 0);
    rbuf_consume(&b, 6);

    /* the shapes the inline part answers alone, and their neighbours */
    put(&b, "no cr");
    CHECK("no cr", rbuf_strip_cr(&b, 5) == 5
                       && memcmp(rbuf_ptr(&b), "no cr", 5) == 0);
    rbuf_consume(&b, 5);
    put(&b, "\r");
    CHECK("a lone cr", rbuf_strip_cr(&b, 1) == 0);
    rbuf_consume(&b, 1);
    put(&b, "ab\r\r");
    kept = rbuf_strip_cr(&b, 4);
    CHECK("two at the end", kept == 2 && memcmp(rbuf_ptr(&b), "ab", 2) == 0);
    rbuf_consume(&b, 4);
    put(&b, "\rab");
    kept = rbuf_strip_cr(&b, 3);
    CHECK("one at the front", kept == 2 && memcmp(rbuf_ptr(&b), "ab", 2) == 0);
    rbuf_consume(&b, 3);
    put(&b, "ab\rX");
    CHECK("only what n covers", rbuf_strip_cr(&b, 2) == 2
                                    && rbuf_strip_cr(&b, 3) == 2);
    rbuf_consume(&b, 4);

    /* growth keeps the data, and trim gives the memory back */
    for (i = 0; i < 100000; i++)
        put(&b, "0123456789");
    CHECK("grew", rbuf_len(&b) == 1000000 && b.cap >= 1000000);
    CHECK("kept order", memcmp(rbuf_ptr(&b) + 999990, "0123456789", 10) == 0);
    rbuf_consume(&b, 999995);
    rbuf_trim(&b);
    CHECK("trimmed", b.cap == RBUF_CHUNK && rbuf_len(&b) == 5
                         && memcmp(rbuf_ptr(&b), "56789", 5) == 0);

    /* sliding instead of growing when the front is free */
    rbuf_consume(&b, 5);
    put(&b, "xy");
    rbuf_consume(&b, 1);
    CHECK("reserve slides", rbuf_reserve(&b, RBUF_CHUNK - 1) == 0
                                && b.cap == RBUF_CHUNK && b.start == 0
                                && rbuf_ptr(&b)[0] == 'y');
    rbuf_free(&b);

    {
        size_t c;
        CHECK("short: crlf", short_line("xxxxxxxxxxxxxx\r\n", 16, &c) == 14
                                 && c == 16);
        CHECK("short: lf ends the first word",
              short_line("abcdefg\n", 8, &c) == 7 && c == 8);
        CHECK("short: crlf across two words",
              short_line("abcdefg\r\nxxxxxxx", 17, &c) == 7 && c == 9);
        CHECK("short: the first byte", short_line("\nxxxxxxx", 8, &c) == 0
                                           && c == 1);
        CHECK("short: nul bytes are data",
              short_line("a\0b\0c\0d\0xxxxxx\r\n", 16, &c) == 14
                  && c == 16);
        CHECK("short: a cr inside", short_line("a\rbcdefg\n", 9, &c) == -1);
        CHECK("short: two crs", short_line("ab\r\r\nxxxx", 9, &c) == -1);
        CHECK("short: a cr ends the data",
              short_line("abcdefg\r", 8, &c) == -1);
        CHECK("short: under a word", short_line("ab\n", 3, &c) == -1);
        CHECK("short: lf past the whole words",
              short_line("abcdefgh\n", 9, &c) == -1);
        CHECK("short: lf past the words it scans",
              short_line("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", 40,
                         &c) == -1);
        CHECK("short: empty", short_line("", 0, &c) == -1);
    }
    short_line_agrees();
    spare_cases();
    return check_report("receive buffer");
}
