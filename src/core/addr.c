#include "core/addr.h"
#include "core/err.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/un.h>
#include <time.h>

int addr_is_unix(const char *host)
{
    return strncasecmp(host, ADDR_UNIX_PREFIX,
                       sizeof ADDR_UNIX_PREFIX - 1) == 0;
}

int addr_from_unix(const char *host, addr_t *out)
{
    struct sockaddr_un *un = (struct sockaddr_un *)&out->ss;
    const char *path = host + sizeof ADDR_UNIX_PREFIX - 1;
    size_t n = strlen(path);

    /* a path filling sun_path needs no terminating NUL */
    if (n > sizeof un->sun_path)
        return ERR_PATH_TOO_LONG;
    memset(out, 0, sizeof *out);
    un->sun_family = AF_UNIX;
    memcpy(un->sun_path, path, n);
    out->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
    return ERR_OK;
}

/* Copies host into buf without IPv6 brackets. */
static int strip_brackets(const char *host, char *buf, size_t len)
{
    size_t n = strlen(host);
    if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
        host++;
        n -= 2;
    }
    if (n >= len)
        return ERR_RESOLVE;
    memcpy(buf, host, n);
    buf[n] = '\0';
    return ERR_OK;
}

int addr_from_ip(const char *ip, addr_t *out)
{
    char buf[INET6_ADDRSTRLEN + 2];
    struct sockaddr_in *in4 = (struct sockaddr_in *)&out->ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&out->ss;

    if (strip_brackets(ip, buf, sizeof buf) != ERR_OK)
        return ERR_RESOLVE;
    memset(out, 0, sizeof *out);
    if (inet_pton(AF_INET, buf, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        out->len = sizeof *in4;
        return ERR_OK;
    }
    if (inet_pton(AF_INET6, buf, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        out->len = sizeof *in6;
        return ERR_OK;
    }
    return ERR_RESOLVE;
}

static void set_port(addr_t *a, int port)
{
    if (a->ss.ss_family == AF_INET)
        ((struct sockaddr_in *)&a->ss)->sin_port = htons((unsigned short)port);
    else if (a->ss.ss_family == AF_INET6)
        ((struct sockaddr_in6 *)&a->ss)->sin6_port = htons((unsigned short)port);
}

/* A name lookup runs getaddrinfo on a thread of its own, so that a caller
 * can give up on a hung resolver at its deadline. The thread may then run on
 * for the resolver's whole timeout (10 s with glibc's defaults), and nothing
 * stops a loop of failing connects from starting one more each time: without
 * a bound, 1000 timed-out connects leave 1000 threads, their stacks and
 * resolver sockets, until the process runs out of address space or
 * descriptors. Hence a bound on the threads in flight, small stacks, and
 * one thread for every caller of the same name.
 *
 * The bound is per process, in the one global below: what it protects
 * (threads, address space, descriptors) belongs to the process, and an
 * abandoned thread outlives the Lua state whose connect started it (a state
 * may close while its resolver hangs), so no state could own the count. */
#define ADDR_MAX_LOOKUPS 64

/* getaddrinfo with glibc's files and dns modules uses under 20 KiB of stack
 * (measured for names found, not found and timed out); 256 KiB leaves room
 * for other NSS modules and keeps glibc's alloca limit (a quarter of the
 * stack, at most 64 KiB) where it is. The default would be 8 MiB of
 * address space per thread. */
#define ADDR_LOOKUP_STACK (256 * 1024)

typedef struct lookup lookup_t;
struct lookup {
    lookup_t *next;     /* in resolver.running until done */
    int refs;           /* the thread and each caller waiting for it: the
                           last to let go frees it */
    int done;
    int rc;             /* getaddrinfo's */
    int err;            /* the errno behind a failure, when it tells one */
    int socktype;
    struct addrinfo *res; /* read-only once done */
    char host[];
};

/* Every field under `mu`; `cv` is broadcast whenever a lookup ends, which
 * is both when results arrive and when a thread's slot frees up. */
static struct {
    pthread_once_t once;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int threads;        /* lookup threads not yet finished */
    lookup_t *running;  /* their lookups, so that callers can share them */
} resolver = {PTHREAD_ONCE_INIT, PTHREAD_MUTEX_INITIALIZER,
               PTHREAD_COND_INITIALIZER, 0, NULL};

static void resolver_init_cv(void)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&resolver.cv, &ca);
    pthread_condattr_destroy(&ca);
}

/* fork() copies the count but not the threads: without these, a child
 * forked while lookups hung (nginx's master after init_by_lua) would wait
 * for slots that never free, or for a mutex a thread held. */
static void resolver_prefork(void)
{
    pthread_mutex_lock(&resolver.mu);
}

static void resolver_postfork_parent(void)
{
    pthread_mutex_unlock(&resolver.mu);
}

static void resolver_postfork_child(void)
{
    /* the lookups of the parent's threads stay allocated: their owners
     * are not in this process */
    resolver.threads = 0;
    resolver.running = NULL;
    /* fresh, not unlocked: the parent's waiters are not here either */
    pthread_mutex_init(&resolver.mu, NULL);
    resolver_init_cv();
}

static void resolver_init(void)
{
    /* deadlines are on the monotonic clock; the static initializer's
     * condition variable waits on the real-time one */
    pthread_cond_destroy(&resolver.cv);
    resolver_init_cv();
    pthread_atfork(resolver_prefork, resolver_postfork_parent,
                   resolver_postfork_child);
}

static void lookup_free(lookup_t *lk)
{
    if (lk->res != NULL)
        freeaddrinfo(lk->res);
    free(lk);
}

static void *lookup_run(void *arg)
{
    lookup_t *lk = arg, **pp;
    struct addrinfo hints, *res = NULL;
    int rc, err = 0, last;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = lk->socktype;
    errno = 0;
    rc = getaddrinfo(lk->host, NULL, &hints, &res);
    /* glibc answers EAI_NONAME ("Host not found") when it could not open
     * /etc/hosts or a resolver socket for want of descriptors; errno, ours
     * alone on this new thread, still tells why */
    if (rc == EAI_SYSTEM || (rc != 0 && (errno == EMFILE || errno == ENFILE)))
        err = errno;
    pthread_mutex_lock(&resolver.mu);
    lk->rc = rc;
    lk->err = err;
    lk->res = res;
    lk->done = 1;
    for (pp = &resolver.running; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == lk) {
            *pp = lk->next;
            break;
        }
    }
    resolver.threads--;
    pthread_cond_broadcast(&resolver.cv);
    last = --lk->refs == 0;
    pthread_mutex_unlock(&resolver.mu);
    if (last)
        lookup_free(lk);
    return NULL;
}

/* The running lookup of that name, if any; under resolver.mu. */
static lookup_t *lookup_find(const char *host, int socktype)
{
    lookup_t *lk;
    for (lk = resolver.running; lk != NULL; lk = lk->next)
        if (lk->socktype == socktype && strcmp(lk->host, host) == 0)
            return lk;
    return NULL;
}

/* Starts a lookup thread; under resolver.mu, with a slot free. */
static int lookup_start(const char *host, int socktype, lookup_t **out)
{
    size_t n = strlen(host);
    pthread_attr_t ta;
    pthread_t th;
    int rc;
    lookup_t *lk = calloc(1, sizeof *lk + n + 1);

    if (lk == NULL)
        return ERR_NOMEM;
    memcpy(lk->host, host, n + 1);
    lk->socktype = socktype;
    lk->refs = 1; /* the thread's */
    pthread_attr_init(&ta);
    pthread_attr_setdetachstate(&ta, PTHREAD_CREATE_DETACHED);
    /* where the system refuses the size, its default still works */
    (void)pthread_attr_setstacksize(&ta, ADDR_LOOKUP_STACK);
    rc = pthread_create(&th, &ta, lookup_run, lk);
    pthread_attr_destroy(&ta);
    if (rc != 0) {
        free(lk);
        return rc;
    }
    lk->next = resolver.running;
    resolver.running = lk;
    resolver.threads++;
    *out = lk;
    return ERR_OK;
}

static int list_from_addrinfo(struct addrinfo *res, int port,
                              addr_list_t *out)
{
    struct addrinfo *ai;
    int n = 0;

    for (ai = res; ai != NULL; ai = ai->ai_next)
        if (ai->ai_family == AF_INET || ai->ai_family == AF_INET6)
            n++;
    if (n == 0)
        return ERR_RESOLVE;
    out->v = calloc((size_t)n, sizeof *out->v);
    if (out->v == NULL)
        return ERR_NOMEM;
    out->n = 0;
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        addr_t *a;
        if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
            continue;
        a = &out->v[out->n++];
        memcpy(&a->ss, ai->ai_addr, ai->ai_addrlen);
        a->len = ai->ai_addrlen;
        set_port(a, port);
    }
    return ERR_OK;
}

/* The outcome of a finished lookup, as a status and an address list. */
static int lookup_result(const lookup_t *lk, int port, addr_list_t *out)
{
    if (lk->err != 0)
        return lk->err;
    if (lk->rc == EAI_MEMORY)
        return ERR_NOMEM;
    if (lk->rc != 0)
        return ERR_RESOLVE;
    return list_from_addrinfo(lk->res, port, out);
}

/* Looks host up, or joins the lookup of it already running, and waits for
 * the result until the deadline; with every slot taken, waits for one
 * first, within the same deadline. */
static int lookup_name(const char *host, int port, int socktype,
                       io_ms deadline, addr_list_t *out)
{
    struct timespec ts;
    lookup_t *lk;
    int rc = ERR_OK, done, last;

    ts.tv_sec = (time_t)(deadline / 1000);
    ts.tv_nsec = (long)(deadline % 1000) * 1000000;
    pthread_once(&resolver.once, resolver_init);
    pthread_mutex_lock(&resolver.mu);
    while ((lk = lookup_find(host, socktype)) == NULL
           && resolver.threads >= ADDR_MAX_LOOKUPS) {
        if (pthread_cond_timedwait(&resolver.cv, &resolver.mu, &ts)
            == ETIMEDOUT) {
            rc = ERR_RESOLVE_TIMEOUT;
            break;
        }
    }
    if (lk == NULL && rc == ERR_OK)
        rc = lookup_start(host, socktype, &lk);
    if (rc != ERR_OK) {
        pthread_mutex_unlock(&resolver.mu);
        return rc;
    }
    lk->refs++;
    while (!lk->done) {
        if (pthread_cond_timedwait(&resolver.cv, &resolver.mu, &ts)
            == ETIMEDOUT)
            break;
    }
    done = lk->done;
    pthread_mutex_unlock(&resolver.mu);
    /* once done, nothing changes the result: read it without the mutex */
    rc = done ? lookup_result(lk, port, out) : ERR_RESOLVE_TIMEOUT;
    pthread_mutex_lock(&resolver.mu);
    last = --lk->refs == 0;
    pthread_mutex_unlock(&resolver.mu);
    if (last)
        lookup_free(lk);
    return rc;
}

int addr_resolve(const char *host, int port, int socktype, io_ms deadline,
                 addr_list_t *out)
{
    addr_t one;

    out->v = NULL;
    out->n = 0;
    if (addr_from_ip(host, &one) == ERR_OK) {
        out->v = malloc(sizeof *out->v);
        if (out->v == NULL)
            return ERR_NOMEM;
        set_port(&one, port);
        out->v[0] = one;
        out->n = 1;
        return ERR_OK;
    }
    return lookup_name(host, port, socktype, deadline, out);
}

void addr_list_free(addr_list_t *list)
{
    free(list->v);
    list->v = NULL;
    list->n = 0;
}

void addr_format(const struct sockaddr *sa, char *buf, size_t len)
{
    char ip[INET6_ADDRSTRLEN];

    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in4 = (const struct sockaddr_in *)sa;
        inet_ntop(AF_INET, &in4->sin_addr, ip, sizeof ip);
        snprintf(buf, len, "%s:%d", ip, ntohs(in4->sin_port));
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof ip);
        snprintf(buf, len, "[%s]:%d", ip, ntohs(in6->sin6_port));
    } else if (sa->sa_family == AF_UNIX) {
        const struct sockaddr_un *un = (const struct sockaddr_un *)sa;
        snprintf(buf, len, "unix:%.*s", (int)sizeof un->sun_path, un->sun_path);
    } else {
        snprintf(buf, len, "?");
    }
}

void addr_copy_name(char *buf, size_t len, const char *name)
{
    size_t n = strlen(name);

    if (n >= len)
        n = len - 1;
    memcpy(buf, name, n);
    buf[n] = '\0';
}

/* What nginx's URL parser objects to in a bracketed IPv6 literal, in its
 * order: a closing bracket, nothing after it but a port, an address
 * inside. NULL when it is acceptable. */
static const char *bracket_error(const char *host, size_t len)
{
    const char *end = memchr(host, ']', len), *p;
    char inner[INET6_ADDRSTRLEN];
    struct in6_addr a;
    size_t n, rest;
    long port = 0;

    if (end == NULL)
        return "invalid host";
    rest = len - (size_t)(end - host) - 1;
    if (rest > 0) {
        if (memchr(end + 1, '/', rest) != NULL || end[1] != ':')
            return "invalid host";
        for (p = end + 2; p < host + len && *p >= '0' && *p <= '9'
                          && port <= 65535; p++)
            port = port * 10 + (*p - '0');
        if (p != host + len || p == end + 2 || port < 1 || port > 65535)
            return "invalid port";
    }
    n = (size_t)(end - host) - 1;
    if (n == 0)
        return "no host";
    if (n >= sizeof inner || memchr(host + 1, '\0', n) != NULL)
        return "invalid IPv6 address";
    memcpy(inner, host + 1, n);
    inner[n] = '\0';
    return inet_pton(AF_INET6, inner, &a) == 1 ? NULL : "invalid IPv6 address";
}

const char *addr_parse_error(const char *host, size_t len)
{
    if (len == 0)
        return "no host";
    if (host[0] == '[')
        return bracket_error(host, len);
    if (addr_is_unix(host)) {
        if (len == 5)
            return "no path in the unix domain socket";
        if (len - 5 > sizeof(((struct sockaddr_un *)0)->sun_path))
            return "too long path in the unix domain socket";
        return NULL;
    }
    if (memchr(host, ':', len) != NULL)
        return "invalid port";
    return NULL;
}
