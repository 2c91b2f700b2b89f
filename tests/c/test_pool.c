/* The keepalive pool of src/core/pool.c on its own: names, most recent
 * first, LRU eviction, the health check when taking, idle expiry, the
 * connection counts of backlog, closing the set, and fork. Connections are
 * non-blocking socketpairs: our end goes into the pool, the other plays the
 * peer. Plain TCP only: TLS items are the spec's business. */
#include "check.h"
#include "core/pool.h"
#include "core/err.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define KEY(s) (s), strlen(s)

/* a plain TCP connection on fd, as a socket hands it to the pool (pool_put
 * copies it) */
static const conn_link_t *plain(int fd)
{
    static conn_link_t link;
    link.fd = fd;
    return &link;
}

/* a connection: *ours (non-blocking, as the socket's are) and its peer */
static int conn(int *peer)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
        return -1;
    fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);
    *peer = sv[1];
    return sv[0];
}

static int fd_is_open(int fd)
{
    return fcntl(fd, F_GETFD) != -1 || errno != EBADF;
}

/* does the peer end see EOF (all copies of our end closed)? */
static int peer_sees_eof(int peer)
{
    struct pollfd p;
    char c;
    p.fd = peer;
    p.events = POLLIN;
    if (poll(&p, 1, 0) != 1)
        return 0;
    return recv(peer, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}

/* the fds of the idle list, head (most recent) first, then -1 */
static int list_is(const pool_t *p, const int *want)
{
    const pool_item_t *it = p->head, *prev = NULL;
    int i = 0;
    for (; it != NULL; prev = it, it = it->next, i++) {
        if (want[i] != it->link.fd || it->prev != prev)
            return 0;
    }
    return want[i] == -1 && p->tail == prev && p->idle == i;
}

static void test_names(void)
{
    pool_set_t s;
    pool_t *a, *b, *c, *d;

    pool_set_init(&s);
    CHECK("names: a new set is empty and open", s.pools == NULL && s.closed == 0
                                                    && s.pid == getpid());
    CHECK("names: nothing found in an empty set",
          pool_find(&s, KEY("127.0.0.1:80")) == NULL);
    a = pool_create(&s, KEY("127.0.0.1:80"), 30, -1);
    b = pool_create(&s, KEY("127.0.0.1:8"), 5, 0);
    c = pool_create(&s, "x\0y", 3, 2, 1);
    d = pool_create(&s, "", 0, 1, -1);
    CHECK("names: created", a && b && c && d);
    CHECK("names: fields", a->size == 30 && a->backlog == -1 && a->idle == 0
                               && a->connections == 0 && a->refs == 1
                               && a->head == NULL && a->tail == NULL
                               && !a->orphan);
    CHECK("names: key copied and terminated",
          a->keylen == 12 && memcmp(a->key, "127.0.0.1:80", 13) == 0);
    CHECK("names: found by exact name", pool_find(&s, KEY("127.0.0.1:80")) == a
                                            && pool_find(&s, KEY("127.0.0.1:8")) == b);
    CHECK("names: a prefix is another name",
          pool_find(&s, KEY("127.0.0.1:800")) == NULL
              && pool_find(&s, KEY("127.0.0.1")) == NULL);
    CHECK("names: embedded NUL counts", pool_find(&s, "x\0y", 3) == c
                                            && pool_find(&s, "x\0z", 3) == NULL
                                            && pool_find(&s, "x", 1) == NULL);
    CHECK("names: the empty name", pool_find(&s, "", 0) == d);
    CHECK("names: case matters", pool_find(&s, KEY("127.0.0.1:80")) == a
                                     && pool_find(&s, KEY("UNIX:/x")) == NULL);
    pool_set_close(&s);
    CHECK("names: closed set", s.closed == 1 && s.pools == NULL);
}

static void test_lru(void)
{
    pool_set_t s;
    pool_t *p;
    pool_item_t *it;
    int fd[4], peer[4], i;

    pool_set_init(&s);
    p = pool_create(&s, KEY("lru"), 2, -1);
    for (i = 0; i < 4; i++)
        fd[i] = conn(&peer[i]);

    CHECK("lru: put", pool_put(p, plain(fd[0]), 0, 0, "peer0", 0) == ERR_OK);
    CHECK("lru: put", pool_put(p, plain(fd[1]), 3, 0, "peer1", 0) == ERR_OK);
    {
        int want[] = {fd[1], fd[0], -1};
        CHECK("lru: most recent first", list_is(p, want));
    }
    CHECK("lru: each put counted once", p->connections == 2);
    /* full: the least recently used one goes, its fd closed */
    CHECK("lru: put when full", pool_put(p, plain(fd[2]), 7, 0, "peer2", 0) == ERR_OK);
    {
        int want[] = {fd[2], fd[1], -1};
        CHECK("lru: evicted the tail", list_is(p, want));
    }
    CHECK("lru: evicted fd closed", !fd_is_open(fd[0]) && peer_sees_eof(peer[0]));
    CHECK("lru: eviction uncounts", p->connections == 2);

    it = pool_take(p);
    CHECK("lru: take gives the most recent", it != NULL && it->link.fd == fd[2]
                                                 && it->reused == 7
                                                 && strcmp(it->peer, "peer2") == 0);
    CHECK("lru: taking keeps the count, refs the pool",
          p->connections == 2 && p->refs == 2 && p->idle == 1);
    {
        int want[] = {fd[1], -1};
        CHECK("lru: rest of the list", list_is(p, want));
    }
    /* back into the pool, counted by the socket that took it */
    CHECK("lru: put back", pool_put(p, plain(it->link.fd), 8, 0, "peer2", 1) == ERR_OK);
    pool_item_free(it);
    pool_unref(p);
    CHECK("lru: counted put adds nothing", p->connections == 2 && p->refs == 1);
    {
        int want[] = {fd[2], fd[1], -1};
        CHECK("lru: put back at the head", list_is(p, want));
    }
    /* a socket attached to the pool (fresh connection) pools it: evicts */
    pool_attach(p);
    CHECK("lru: attach counts", p->connections == 3 && p->refs == 2);
    CHECK("lru: counted put when full", pool_put(p, plain(fd[3]), 0, 0, "peer3", 1) == ERR_OK);
    pool_unref(p);
    CHECK("lru: counted eviction", p->connections == 2 && p->refs == 1
                                       && !fd_is_open(fd[1]));
    {
        int want[] = {fd[3], fd[2], -1};
        CHECK("lru: after counted eviction", list_is(p, want));
    }
    /* a pool of size 1 keeps only the last one */
    {
        pool_t *one = pool_create(&s, KEY("one"), 1, -1);
        int pa, pb, a = conn(&pa), b = conn(&pb);
        pool_put(one, plain(a), 0, 0, "a", 0);
        pool_put(one, plain(b), 0, 0, "b", 0);
        CHECK("lru: size 1", one->idle == 1 && one->head->link.fd == b
                                 && one->connections == 1 && !fd_is_open(a));
        close(pa);
        close(pb);
    }
    pool_set_close(&s);
    CHECK("lru: close closes the idle fds", !fd_is_open(fd[2]) && !fd_is_open(fd[3])
                                               && peer_sees_eof(peer[3]));
    for (i = 0; i < 4; i++)
        close(peer[i]);
}

static void test_health(void)
{
    pool_set_t s;
    pool_t *p;
    pool_item_t *it;
    int good, bad_data, bad_eof, pg, pd, pe;

    pool_set_init(&s);
    p = pool_create(&s, KEY("health"), 10, -1);
    good = conn(&pg);
    bad_data = conn(&pd);
    bad_eof = conn(&pe);
    pool_put(p, plain(good), 1, 0, "good", 0);
    pool_put(p, plain(bad_data), 1, 0, "data", 0);
    pool_put(p, plain(bad_eof), 1, 0, "eof", 0);
    CHECK("health: write", write(pd, "x", 1) == 1);
    close(pe);
    CHECK("health: 3 idle", p->idle == 3 && p->connections == 3);

    it = pool_take(p);
    CHECK("health: skips the dead and the dirty, takes the live one",
          it != NULL && it->link.fd == good && strcmp(it->peer, "good") == 0);
    CHECK("health: the skipped ones are closed and uncounted",
          !fd_is_open(bad_data) && !fd_is_open(bad_eof)
              && p->idle == 0 && p->connections == 1 && p->head == NULL
              && p->tail == NULL);
    CHECK("health: nothing left", pool_take(p) == NULL);
    /* the taken one is still a working connection */
    CHECK("health: taken fd works", fd_is_open(good) && write(good, "y", 1) == 1);
    close(it->link.fd);
    pool_item_free(it);
    pool_detach(p);
    /* its last connection gone, the pool is forgotten, as in ngx_lua */
    CHECK("health: an empty pool is forgotten",
          pool_find(&s, KEY("health")) == NULL);
    p = pool_create(&s, KEY("health"), 10, -1);

    /* only dead ones: nothing */
    {
        int pa, a = conn(&pa);
        pool_put(p, plain(a), 0, 0, "a", 0);
        close(pa);
        CHECK("health: a dead one alone gives nothing", pool_take(p) == NULL
                                                            && !fd_is_open(a)
                                                            && p->connections == 0);
    }
    close(pg);
    close(pd);
    pool_set_close(&s);
}

static void test_expiry(void)
{
    pool_set_t s;
    pool_t *p, *q;
    int pa, pb, pc, a, b, c;
    io_ms now;

    pool_set_init(&s);
    p = pool_create(&s, KEY("p"), 10, -1);
    q = pool_create(&s, KEY("q"), 10, -1);
    a = conn(&pa);
    b = conn(&pb);
    c = conn(&pc);
    now = io_now();
    pool_put(p, plain(a), 0, 100, "a", 0);   /* expires in 100 ms */
    pool_put(p, plain(b), 0, 0, "b", 0);     /* never */
    pool_put(q, plain(c), 0, 5000, "c", 0);  /* in 5 s */
    CHECK("expiry: deadline set", p->tail->link.fd == a && p->tail->expires >= now + 100
                                      && p->tail->expires <= io_now() + 100
                                      && p->head->expires == 0);
    pool_set_tidy(&s, io_now());
    CHECK("expiry: nothing due yet", p->idle == 2 && q->idle == 1);
    pool_set_tidy(&s, now + 200);
    CHECK("expiry: the due one closed", p->idle == 1 && p->head->link.fd == b
                                            && !fd_is_open(a) && peer_sees_eof(pa)
                                            && p->connections == 1);
    CHECK("expiry: others kept", fd_is_open(b) && q->idle == 1 && fd_is_open(c));
    pool_set_tidy(&s, now + 10000);
    /* q lost its last connection: tidying forgot the pool itself */
    CHECK("expiry: every pool tidied", !fd_is_open(c)
                                           && pool_find(&s, KEY("q")) == NULL);
    pool_set_tidy(&s, now + 1000000000LL);
    CHECK("expiry: 0 never expires", p->idle == 1 && fd_is_open(b));
    pool_set_close(&s);
    CHECK("expiry: closed at the end", !fd_is_open(b));
    close(pa);
    close(pb);
    close(pc);
}

static void test_refs(void)
{
    pool_set_t s;
    pool_t *p;
    pool_item_t *it;
    int pa, a, pb, b;

    pool_set_init(&s);
    p = pool_create(&s, KEY("refs"), 5, 2);
    a = conn(&pa);
    b = conn(&pb);
    /* one socket holds a fresh connection, one took an idle one */
    pool_attach(p);
    pool_put(p, plain(b), 2, 0, "b", 0);
    it = pool_take(p);
    CHECK("refs: two users", it != NULL && p->refs == 3 && p->connections == 2);
    pool_set_close(&s);
    /* the set is gone, the pool lives on for its sockets */
    CHECK("refs: orphaned, not freed", p->orphan && p->refs == 2 && s.closed);
    CHECK("refs: the taken fd stays open", fd_is_open(it->link.fd));
    close(it->link.fd);
    pool_item_free(it);
    pool_detach(p);
    CHECK("refs: one user left", p->refs == 1 && p->connections == 1);
    close(a);
    pool_detach(p); /* frees it: valgrind/ASan see a leak or a misuse */
    close(pa);
    close(pb);

    /* a pool with no socket is freed with the set */
    pool_set_init(&s);
    pool_create(&s, KEY("alone"), 1, -1);
    pool_set_close(&s);
    CHECK("refs: set closed", s.pools == NULL);
}

static void test_peer_name(void)
{
    pool_set_t s;
    pool_t *p;
    pool_item_t *it;
    char longname[300];
    int pa, a = conn(&pa);

    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    pool_set_init(&s);
    p = pool_create(&s, KEY("names"), 1, -1);
    pool_put(p, plain(a), 0, 0, longname, 0);
    it = pool_take(p);
    CHECK("peer name: truncated and terminated",
          it != NULL && strlen(it->peer) == sizeof it->peer - 1
              && it->peer[0] == 'n');
    if (it != NULL) {
        close(it->link.fd);
        pool_item_free(it);
    }
    pool_detach(p);
    pool_set_close(&s);
    close(pa);
}

/* The child's exit status, waiting at most 5 s (then it is killed). */
static int wait_child(pid_t pid)
{
    int i, status = -1;
    for (i = 0; i < 500; i++) {
        if (waitpid(pid, &status, WNOHANG) == pid)
            return status;
        poll(NULL, 0, 10);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return status;
}

/* After fork() the child forgets the parent's idle connections, closing
 * only its own copies: the parent's connections stay open and healthy. */
static void test_fork(void)
{
    pool_set_t s;
    pool_t *p;
    pid_t pid;
    int status = -1, pa, pb, a, b;

    pool_set_init(&s);
    p = pool_create(&s, KEY("fork"), 5, 1);
    a = conn(&pa);
    b = conn(&pb);
    pool_put(p, plain(a), 4, 0, "a", 0);
    pool_put(p, plain(b), 5, 0, "b", 0);
    pool_attach(p); /* a socket in use, inherited too */
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        int code = 0;
        pool_set_tidy(&s, io_now());
        if (p->idle != 0 || p->head != NULL || p->tail != NULL)
            code |= 1;
        if (fd_is_open(a) || fd_is_open(b))
            code |= 2;
        if (p->connections != 1)
            code |= 4;
        if (s.pid != getpid())
            code |= 8;
        if (pool_take(p) != NULL)
            code |= 16;
        /* tidy again: nothing more happens */
        pool_set_tidy(&s, io_now());
        if (p->connections != 1)
            code |= 32;
        _exit(code);
    }
    CHECK("fork: forked", pid > 0);
    if (pid > 0)
        status = wait_child(pid);
    CHECK("fork: the child forgot the parent's idle connections",
          WIFEXITED(status) && WEXITSTATUS(status) == 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
        printf("# child status %d\n", WEXITSTATUS(status));
    CHECK("fork: the parent's stay open", fd_is_open(a) && fd_is_open(b)
                                              && !peer_sees_eof(pa)
                                              && !peer_sees_eof(pb));
    pool_set_tidy(&s, io_now());
    CHECK("fork: and pooled in the parent", p->idle == 2 && p->connections == 3);
    {
        pool_item_t *it = pool_take(p);
        CHECK("fork: the parent takes its own", it != NULL && it->link.fd == b
                                                    && it->reused == 5);
        if (it != NULL) {
            close(it->link.fd);
            pool_item_free(it);
            pool_detach(p);
        }
    }
    pool_detach(p);
    pool_set_close(&s);
    close(pa);
    close(pb);
}

/* A child whose parent never pooled: its first pool, made by a put, keeps
 * its first idle connection through the next tidy once the child claimed
 * the set (what the binding does before it makes a pool). */
static void test_fork_first_pool(void)
{
    pool_set_t s;
    pid_t pid;
    int status = -1;

    pool_set_init(&s);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        int code = 0, pa, a;
        pool_t *p;
        pool_set_claim(&s);
        p = pool_create(&s, KEY("first"), 5, -1);
        a = conn(&pa);
        if (p == NULL || pool_put(p, plain(a), 0, 0, "a", 0) != ERR_OK)
            code |= 1;
        pool_set_tidy(&s, io_now());
        if (p == NULL || p->idle != 1 || !fd_is_open(a))
            code |= 2;
        _exit(code);
    }
    CHECK("fork, first pool: forked", pid > 0);
    if (pid > 0)
        status = wait_child(pid);
    CHECK("fork, first pool: the child's first idle connection stays pooled",
          WIFEXITED(status) && WEXITSTATUS(status) == 0);
    pool_set_close(&s);
}

int main(void)
{
    test_names();
    test_lru();
    test_health();
    test_expiry();
    test_refs();
    test_peer_name();
    test_fork();
    test_fork_first_pool();
    return check_report("keepalive pool");
}
