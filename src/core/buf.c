#include "core/buf.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>

void rbuf_init(rbuf_t *b)
{
    b->data = NULL;
    b->start = b->end = b->cap = 0;
    b->chunk = RBUF_CHUNK;
    b->max = RBUF_MAX;
    b->offset = 0;
}

void rbuf_free(rbuf_t *b)
{
    b->offset += rbuf_len(b);
    free(b->data);
    b->data = NULL;
    b->start = b->end = b->cap = 0;
}

int rbuf_reserve(rbuf_t *b, size_t want)
{
    size_t len = rbuf_len(b), cap, limit = b->max > b->chunk ? b->max : b->chunk;
    char *p;

    if (b->cap - b->end >= want)
        return ERR_OK;
    if (b->cap - len >= want && (len <= b->cap / 2 || b->cap - len >= b->chunk)) {
        /* sliding the data down is enough, and cheap relative to the read */
        memmove(b->data, b->data + b->start, len);
        b->start = 0;
        b->end = len;
        return ERR_OK;
    }
    cap = b->cap ? b->cap : b->chunk;
    while (cap - len < want) {
        if (cap > ((size_t)-1) / 2)
            return ERR_NOMEM;
        cap *= 2;
    }
    /* doubling must not take a buffer of up to max bytes past max */
    if (cap > limit && len <= limit && limit - len >= want)
        cap = limit;
    if (b->start > 0) {
        memmove(b->data, b->data + b->start, len);
        b->start = 0;
        b->end = len;
    }
    p = realloc(b->data, cap);
    if (p == NULL)
        return ERR_NOMEM;
    b->data = p;
    b->cap = cap;
    return ERR_OK;
}

void rbuf_shrink(rbuf_t *b)
{
    size_t len = rbuf_len(b), cap = b->chunk;
    char *p;

    while (cap < len)
        cap *= 2;
    if (cap >= b->cap)
        return;
    memmove(b->data, b->data + b->start, len);
    b->start = 0;
    b->end = len;
    p = realloc(b->data, cap);
    if (p != NULL) {
        b->data = p;
        b->cap = cap;
    }
}

long rbuf_find_line(const rbuf_t *b, size_t from)
{
    size_t len = rbuf_len(b);
    const char *p;

    if (from >= len)
        return -1;
    p = memchr(rbuf_ptr(b) + from, '\n', len - from);
    return p ? (long)(p - rbuf_ptr(b)) : -1;
}

size_t rbuf_strip_cr(rbuf_t *b, size_t n)
{
    char *s = rbuf_ptr(b), *w, *r, *cr;
    size_t kept;

    /* a buffer never filled has no data at all: memchr(NULL, c, 0) is
     * undefined */
    if (n == 0)
        return 0;
    cr = memchr(s, '\r', n);
    if (cr == NULL)
        return n;
    w = cr;
    for (r = cr; r < s + n; r++)
        if (*r != '\r')
            *w++ = *r;
    kept = (size_t)(w - s);
    return kept;
}
