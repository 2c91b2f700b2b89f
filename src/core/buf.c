#include "core/buf.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>

void rbuf_spare_close(rbuf_spare_t *s)
{
    free(s->data);
    s->data = NULL;
    s->cap = 0;
    s->closed = 1;
}

void rbuf_init(rbuf_t *b)
{
    b->data = NULL;
    b->spare = NULL;
    b->start = b->end = b->cap = 0;
    b->chunk = RBUF_CHUNK;
    b->max = RBUF_MAX;
    b->offset = 0;
}

void rbuf_free(rbuf_t *b)
{
    rbuf_spare_t *s = b->spare;

    b->offset += rbuf_len(b);
    if (s != NULL && s->data == NULL && !s->closed && b->cap == b->chunk) {
        s->data = b->data;
        s->cap = b->cap;
    } else {
        free(b->data);
    }
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
    if (b->data == NULL && b->spare != NULL && b->spare->data != NULL
        && b->spare->cap == b->chunk && b->chunk >= want) {
        b->data = b->spare->data;
        b->cap = b->spare->cap;
        b->spare->data = NULL;
        b->start = b->end = 0;
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

size_t rbuf_strip_cr_from(rbuf_t *b, char *cr, size_t n)
{
    char *s = rbuf_ptr(b), *w = cr, *r;

    for (r = cr; r < s + n; r++)
        if (*r != '\r')
            *w++ = *r;
    return (size_t)(w - s);
}
