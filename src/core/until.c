#include "core/until.h"

#include <stdlib.h>
#include <string.h>

until_t *until_new(const char *pat, size_t n)
{
    until_t *m = malloc(sizeof *m + n);
    if (m == NULL)
        return NULL;
    m->len = n;
    m->first = (unsigned char)pat[0];
    memcpy(m->pat, pat, n);
    return m;
}

long until_find(const until_t *m, const char *data, size_t len, size_t from,
                size_t *hold)
{
    size_t i = from;

    /* memchr skips to candidates at memory speed; only they are compared */
    while (i < len) {
        const char *p = memchr(data + i, m->first, len - i);
        size_t rest;
        if (p == NULL)
            break;
        i = (size_t)(p - data);
        rest = len - i;
        if (rest >= m->len) {
            if (memcmp(p, m->pat, m->len) == 0)
                return (long)i;
        } else if (memcmp(p, m->pat, rest) == 0) {
            *hold = i;
            return -1;
        }
        i++;
    }
    *hold = len;
    return -1;
}
