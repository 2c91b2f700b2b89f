/* The receive buffer: reserve, consume, line search, CR stripping. */
#include "check.h"
#include "core/buf.h"

#include <string.h>

static void put(rbuf_t *b, const char *s)
{
    size_t n = strlen(s);
    rbuf_reserve(b, n);
    memcpy(rbuf_tail(b), s, n);
    rbuf_commit(b, n);
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
    return check_report("receive buffer");
}
