/* The line, size, to-EOF and any reads of conn.c over the receive buffer of
 * buf.c, with the data arriving in chunks the input chooses (see stream.h),
 * against a model:
 *
 *   '*l'  the bytes before the first '\n', every '\r' among them dropped
 *         (ngx_lua ignores '\r' anywhere in a line, not only before the
 *         '\n'); the '\n' is consumed. Short of a '\n': the bytes so far,
 *         '\r' dropped, as partial data, all consumed.
 *   n     exactly n bytes; short: everything so far as partial data.
 *   '*a'  everything up to EOF, a success (and the read side stays open);
 *         short of EOF: everything so far as partial data.
 *   any   1..max bytes from the front of the stream; "closed" or "timeout"
 *         with nothing when there is nothing.
 *   after "closed" (or any error but a timeout) every read is "closed".
 *
 * Input: a flags byte, then operations (see run_ops). */
#include "stream.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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

static void recv_all(stream_t *s)
{
    conn_span_t got;
    expect_t want;
    int rc;

    if (!model_closed(s, &want))
        expect_set(&want, s->eof ? ERR_OK : ERR_TIMEOUT, s->avail, s->alen,
                   s->alen);
    rc = conn_recv_all(&s->c, stream_deadline(s, want.rc == ERR_TIMEOUT),
                       &got);
    stream_settle(s, "recv_all", rc, &got, &want);
}

/* receiveany returns what the connection has buffered, which the model does
 * not know: the outcome is checked for what it must be, then followed. */
static void recv_any(stream_t *s, size_t max)
{
    conn_span_t got;
    expect_t want;
    int rc = conn_recv_any(&s->c, max,
                           stream_deadline(s, s->alen == 0 && !s->eof), &got);

    if (!model_closed(s, &want)) {
        if (s->alen == 0) {
            expect_set(&want, model_short(s), NULL, 0, 0);
        } else {
            stream_check(rc == ERR_OK, "recv_any: data there, no success");
            stream_check(got.n >= 1 && got.n <= max && got.n <= s->alen,
                         "recv_any: length");
            expect_set(&want, ERR_OK, s->avail, got.n, got.n);
        }
    }
    stream_settle(s, "recv_any", rc, &got, &want);
}

/* Bytes from the input, folded onto "ab\r\n" when the input asks for it so
 * that lines, empty lines and stray '\r' come often. */
FUZZ_UNTRACED static char sym(uint8_t b, int small)
{
    static const char lines[] = "ab\r\n";
    return small ? lines[b % 4] : (char)b;
}

/* Up to n bytes of the input into chunk; returns how many. */
FUZZ_UNTRACED static size_t gen_chunk(input_t *in, size_t n, int small,
                                      char *chunk)
{
    size_t i;
    for (i = 0; i < n && in->n > 0; i++)
        chunk[i] = sym(take0(in), small);
    return i;
}

/* n filler bytes with a '\n' every `period` bytes (none for 0). */
FUZZ_UNTRACED static void gen_bulk(char filler, size_t period, char *chunk,
                                   size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        chunk[i] = period && i % period == period - 1 ? '\n' : filler;
}

/* Operations, one byte each plus operands:
 *   o%8 0,1,2  write a chunk: length byte, then the bytes
 *   o%8 3      line read
 *   o%8 4      size read of 1 + byte + (o>>3)*256 bytes (up to 8 KiB)
 *   o%8 5      '*a' read
 *   o%8 6      any read, max = 1 + byte
 *   o%8 7      o&8: the peer shuts its side; else a bulk write of
 *              (byte+1)*64 bytes of a filler with a '\n' every `period`
 *              bytes (period = byte, 0 for none): two of them grow the
 *              buffer past its first chunk */
static void run_ops(input_t *in, stream_t *s, int small)
{
    static char chunk[256 * 64];
    uint8_t o;

    while (take(in, &o)) {
        size_t n, period;
        char filler;
        switch (o % 8) {
        case 0:
        case 1:
        case 2:
            n = gen_chunk(in, take0(in), small, chunk);
            stream_write(s, chunk, n);
            break;
        case 3:
            stream_recv_line(s);
            break;
        case 4:
            n = 1 + (size_t)take0(in) + (size_t)(o >> 3) * 256;
            stream_recv_size(s, n);
            break;
        case 5:
            recv_all(s);
            break;
        case 6:
            recv_any(s, 1 + (size_t)take0(in));
            break;
        default:
            if (o & 8) {
                stream_eof(s);
                break;
            }
            filler = sym(take0(in), small);
            period = take0(in);
            n = ((size_t)take0(in) + 1) * 64;
            gen_bulk(filler, period, chunk, n);
            stream_write(s, chunk, n);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    input_t in = {data, size};
    stream_t s;
    uint8_t flags;

    if (!take(&in, &flags))
        return 0;
    stream_open(&s);
    run_ops(&in, &s, flags & 1);

    /* the end: the peer closes, '*a' takes the rest, and the next read
     * finds the read side closed */
    stream_eof(&s);
    recv_all(&s);
    stream_recv_line(&s);
    stream_check(s.closed, "a line read after '*a' at EOF is not closed");
    stream_close(&s);
    return 0;
}
