/* The keepalive pool: idle connections kept by name ("host:port", the unix
 * path, or the caller's pool name), most recently used first, each until
 * its idle timeout. One pool set belongs to one Lua state and one process.
 *
 * A pool counts the connections it is responsible for, idle ones and those
 * in use by sockets attached to it, as ngx_lua does for its backlog. */
#ifndef LRLS_POOL_H
#define LRLS_POOL_H

#include "core/conn.h"
#include "core/io.h"
#include "core/tls.h"

#include <stddef.h>
#include <sys/types.h>

typedef struct pool_item {
    struct pool_item *prev, *next;
    conn_link_t link;
    int reused;       /* times this connection was handed out again */
    io_ms expires;    /* 0: never */
    char peer[120];
} pool_item_t;

struct pool_set;

typedef struct pool {
    struct pool *next;      /* in the set */
    struct pool_set *set;   /* NULL once orphaned */
    pool_item_t *head, *tail; /* idle connections, most recent first */
    int idle;
    int size;               /* at most this many idle connections */
    int backlog;            /* -1: connect never waits for the pool */
    int connections;        /* idle + in use by attached sockets */
    int refs;               /* attached sockets, + 1 while the set lives */
    int orphan;             /* the set is gone: free at the last detach */
    size_t keylen;
    char key[];
} pool_t;

typedef struct pool_set {
    pool_t *pools;
    pid_t pid;              /* the process whose connections these are */
    volatile unsigned char *canary; /* a page the kernel zeroes in a forked
                                       child (MADV_WIPEONFORK), or NULL */
    int closed;
} pool_set_t;

void pool_set_init(pool_set_t *s);
/* Closes every idle connection; pools still referenced by sockets live on
 * until their last socket lets go. */
void pool_set_close(pool_set_t *s);

/* Makes the set this process's, when it is a child forked since the set
 * was last used (the set has no pools, so nothing is closed). */
void pool_set_claim(pool_set_t *s);
/* Closes idle connections that expired, and, in a process forked since the
 * set was made, forgets the parent's idle connections (closing only this
 * process's copies of their descriptors). */
void pool_set_tidy(pool_set_t *s, io_ms now);

pool_t *pool_find(pool_set_t *s, const char *key, size_t keylen);
/* A new pool of the given size and backlog; NULL when out of memory. */
pool_t *pool_create(pool_set_t *s, const char *key, size_t keylen, int size,
                    int backlog);

/* A socket starts or stops holding a connection counted by the pool. A
 * pool whose last connection closes is forgotten, as in ngx_lua: the next
 * connect or setkeepalive makes it anew with its own size and backlog. */
void pool_attach(pool_t *p);
void pool_detach(pool_t *p);
/* The socket stops referencing the pool, its connection now counted by an
 * idle item (pool_put) or by no one. */
void pool_unref(pool_t *p);

/* Takes the most recently used idle connection that is still healthy: the
 * peer has not closed it and sent nothing while it was idle. Returns the
 * item (free it with pool_item_free after taking its fd) or NULL. */
pool_item_t *pool_take(pool_t *p);
void pool_item_free(pool_item_t *it);

/* Keeps the connection idle in the pool, evicting the least recently used
 * one when full. counted says whether the pool already counts it.
 * timeout_ms 0 keeps it until used; a negative one lets it expire at once,
 * as ngx_lua's unsigned timer does. Returns 0, or ERR_NOMEM (the
 * connection untouched). */
int pool_put(pool_t *p, const conn_link_t *link, int reused,
             long timeout_ms, const char *peer, int counted);

/* setkeepalive's check-in: c's connection goes idle into `into` (as
 * pool_put), and the socket lets go of *held, the pool that counted its
 * connection (or NULL), which is then NULL. Returns 0; or ERR_NOMEM, the
 * connection closed and *held let go all the same. */
int pool_check_in(pool_t *into, pool_t **held, conn_t *c, int reused,
                  long timeout_ms);

#endif
