/* MAP_ANONYMOUS and MADV_WIPEONFORK are outside POSIX */
#define _DEFAULT_SOURCE
#include "core/pool.h"
#include "core/addr.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Every pool operation asks whether the process forked; getpid() is a
 * system call each time (glibc stopped caching it), two per pooled request.
 * Where the kernel can wipe a page in forked children (Linux 4.14+), a byte
 * of that page answers instead. */
static void canary_arm(pool_set_t *s)
{
#ifdef MADV_WIPEONFORK
    long page = sysconf(_SC_PAGESIZE);
    void *p = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (p == MAP_FAILED)
        return;
    if (madvise(p, (size_t)page, MADV_WIPEONFORK) != 0) {
        munmap(p, (size_t)page);
        return;
    }
    s->canary = p;
    *s->canary = 1;
#else
    (void)s;
#endif
}

static void canary_free(pool_set_t *s)
{
    if (s->canary != NULL)
        munmap((void *)s->canary, (size_t)sysconf(_SC_PAGESIZE));
    s->canary = NULL;
}

/* Whether this process is a child forked since the last call; then the
 * set belongs to it from now on. */
static int forked_since(pool_set_t *s)
{
    pid_t pid;

    if (s->canary != NULL) {
        if (*s->canary != 0)
            return 0;
        *s->canary = 1;
        s->pid = getpid();
        return 1;
    }
    pid = getpid();
    if (pid == s->pid)
        return 0;
    s->pid = pid;
    return 1;
}

void pool_set_init(pool_set_t *s)
{
    s->pools = NULL;
    s->pid = getpid();
    s->canary = NULL;
    s->closed = 0;
    canary_arm(s);
}

static void unlink_item(pool_t *p, pool_item_t *it)
{
    if (it->prev)
        it->prev->next = it->next;
    else
        p->head = it->next;
    if (it->next)
        it->next->prev = it->prev;
    else
        p->tail = it->prev;
    it->prev = it->next = NULL;
    p->idle--;
}

static void pool_free_if_unused(pool_t *p)
{
    if (p->orphan && p->refs == 0)
        free(p);
}

/* Takes a pool with no connection left out of its set. */
static void forget_if_empty(pool_t *p)
{
    pool_t **pp;

    if (p->orphan || p->connections > 0 || p->idle > 0)
        return;
    for (pp = &p->set->pools; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == p) {
            *pp = p->next;
            break;
        }
    }
    p->set = NULL;
    p->orphan = 1;
    p->refs--;
    pool_free_if_unused(p);
}

/* Closes an idle connection for good; `quietly` for copies inherited from
 * a parent process, which must not say goodbye on the parent's behalf. */
static void close_item(pool_t *p, pool_item_t *it, int quietly)
{
    unlink_item(p, it);
    if (quietly)
        tls_conn_abandon(&it->link.tls);
    else
        tls_conn_close(&it->link.tls);
    close(it->link.fd);
    free(it);
    p->connections--;
}

void pool_set_close(pool_set_t *s)
{
    pool_t *p = s->pools, *next;

    for (; p != NULL; p = next) {
        next = p->next;
        while (p->head != NULL)
            close_item(p, p->head, 0);
        p->next = NULL;
        p->set = NULL;
        p->orphan = 1;
        p->refs--;
        pool_free_if_unused(p);
    }
    s->pools = NULL;
    s->closed = 1;
    canary_free(s);
}

void pool_set_tidy(pool_set_t *s, io_ms now)
{
    pool_t *p, *pnext;
    int forked = forked_since(s);

    for (p = s->pools; p != NULL; p = pnext) {
        pool_item_t *it = p->head, *next;
        pnext = p->next;
        for (; it != NULL; it = next) {
            next = it->next;
            if (forked || (it->expires != 0 && it->expires <= now))
                close_item(p, it, forked);
        }
        forget_if_empty(p);
    }
}

void pool_set_claim(pool_set_t *s)
{
    (void)forked_since(s);
}

pool_t *pool_find(pool_set_t *s, const char *key, size_t keylen)
{
    pool_t *p;
    for (p = s->pools; p != NULL; p = p->next)
        if (p->keylen == keylen && memcmp(p->key, key, keylen) == 0)
            return p;
    return NULL;
}

pool_t *pool_create(pool_set_t *s, const char *key, size_t keylen, int size,
                    int backlog)
{
    pool_t *p = calloc(1, sizeof *p + keylen + 1);
    if (p == NULL)
        return NULL;
    memcpy(p->key, key, keylen);
    p->keylen = keylen;
    p->size = size;
    p->backlog = backlog;
    p->refs = 1;
    p->set = s;
    p->next = s->pools;
    s->pools = p;
    return p;
}

void pool_attach(pool_t *p)
{
    p->connections++;
    p->refs++;
}

void pool_unref(pool_t *p)
{
    p->refs--;
    pool_free_if_unused(p);
}

void pool_detach(pool_t *p)
{
    p->connections--;
    p->refs--;
    if (p->orphan)
        pool_free_if_unused(p);
    else
        forget_if_empty(p);
}

pool_item_t *pool_take(pool_t *p)
{
    while (p->head != NULL) {
        pool_item_t *it = p->head;
        /* EAGAIN is the only healthy answer: EOF, bytes the peer sent
         * while we were not listening, or an error all spoil it. TLS lets
         * OpenSSL take protocol records (session tickets) first. */
        int state = it->link.tls.ssl
                        ? tls_idle_state(it->link.tls.ssl, it->link.fd)
                        : io_idle_probe(it->link.fd);
        if (state == 0) {
            unlink_item(p, it);
            p->refs++;
            return it;
        }
        close_item(p, it, 0);
    }
    return NULL;
}

void pool_item_free(pool_item_t *it)
{
    free(it);
}

int pool_put(pool_t *p, const conn_link_t *link, int reused,
             long timeout_ms, const char *peer, int counted)
{
    pool_item_t *it = malloc(sizeof *it);

    if (it == NULL)
        return ERR_NOMEM;
    if (p->idle >= p->size && p->tail != NULL)
        close_item(p, p->tail, 0);
    if (!counted)
        p->connections++;
    it->link = *link;
    it->reused = reused;
    /* beyond a century is forever, and keeps the deadline from overflowing */
    if (timeout_ms < 0)
        it->expires = io_now();
    else if (timeout_ms == 0 || timeout_ms > 3153600000000L)
        it->expires = 0;
    else
        it->expires = io_deadline(timeout_ms);
    addr_copy_name(it->peer, sizeof it->peer, peer);
    it->prev = NULL;
    it->next = p->head;
    if (p->head)
        p->head->prev = it;
    else
        p->tail = it;
    p->head = it;
    p->idle++;
    return ERR_OK;
}

int pool_check_in(pool_t *into, pool_t **held, conn_t *c, int reused,
                  long timeout_ms)
{
    conn_link_t link;
    int rc;

    conn_release_link(c, &link);
    rc = pool_put(into, &link, reused, timeout_ms, c->peer, *held == into);
    if (rc != ERR_OK) {
        tls_conn_close(&link.tls);
        close(link.fd);
    }
    if (*held != NULL) {
        /* on success the idle item now holds the count the socket held */
        if (rc == ERR_OK && *held == into)
            pool_unref(*held);
        else
            pool_detach(*held);
        *held = NULL;
    }
    return rc;
}
