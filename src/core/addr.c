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

/* A lookup shared by the caller and the helper thread: whoever lets go of it
 * last frees it, so a caller that gave up on a hung resolver leaks nothing
 * once the resolver returns. */
typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int refs;
    int done;
    int rc;
    int socktype;
    struct addrinfo *res;
    char host[];
} lookup_t;

static void lookup_release(lookup_t *lk)
{
    int last;
    pthread_mutex_lock(&lk->mu);
    last = --lk->refs == 0;
    pthread_mutex_unlock(&lk->mu);
    if (!last)
        return;
    if (lk->res != NULL)
        freeaddrinfo(lk->res);
    pthread_cond_destroy(&lk->cv);
    pthread_mutex_destroy(&lk->mu);
    free(lk);
}

static void *lookup_run(void *arg)
{
    lookup_t *lk = arg;
    struct addrinfo hints, *res = NULL;
    int rc;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = lk->socktype;
    rc = getaddrinfo(lk->host, NULL, &hints, &res);
    pthread_mutex_lock(&lk->mu);
    lk->rc = rc;
    lk->res = res;
    lk->done = 1;
    pthread_cond_signal(&lk->cv);
    pthread_mutex_unlock(&lk->mu);
    lookup_release(lk);
    return NULL;
}

static int lookup_start(const char *host, int socktype, lookup_t **out)
{
    size_t n = strlen(host);
    pthread_condattr_t ca;
    pthread_attr_t ta;
    pthread_t th;
    lookup_t *lk = calloc(1, sizeof *lk + n + 1);

    if (lk == NULL)
        return ERR_NOMEM;
    memcpy(lk->host, host, n + 1);
    lk->socktype = socktype;
    lk->refs = 2;
    pthread_mutex_init(&lk->mu, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&lk->cv, &ca);
    pthread_condattr_destroy(&ca);
    pthread_attr_init(&ta);
    pthread_attr_setdetachstate(&ta, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&th, &ta, lookup_run, lk) != 0) {
        pthread_attr_destroy(&ta);
        lk->refs = 1;
        lookup_release(lk);
        return EAGAIN;
    }
    pthread_attr_destroy(&ta);
    *out = lk;
    return ERR_OK;
}

/* Waits for the lookup until the deadline; on success takes its result. */
static int lookup_wait(lookup_t *lk, io_ms deadline, struct addrinfo **res)
{
    struct timespec ts;
    int rc = ERR_TIMEOUT;

    ts.tv_sec = (time_t)(deadline / 1000);
    ts.tv_nsec = (long)(deadline % 1000) * 1000000;
    pthread_mutex_lock(&lk->mu);
    while (!lk->done) {
        if (pthread_cond_timedwait(&lk->cv, &lk->mu, &ts) == ETIMEDOUT)
            break;
    }
    if (lk->done) {
        rc = lk->rc == 0 ? ERR_OK : ERR_RESOLVE;
        *res = lk->res;
        lk->res = NULL;
    }
    pthread_mutex_unlock(&lk->mu);
    lookup_release(lk);
    return rc;
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

int addr_resolve(const char *host, int port, int socktype, io_ms deadline,
                 addr_list_t *out)
{
    addr_t one;
    lookup_t *lk;
    struct addrinfo *res = NULL;
    int rc;

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
    rc = lookup_start(host, socktype, &lk);
    if (rc != ERR_OK)
        return rc;
    rc = lookup_wait(lk, deadline, &res);
    if (rc != ERR_OK)
        return rc;
    rc = list_from_addrinfo(res, port, out);
    freeaddrinfo(res);
    return rc;
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
