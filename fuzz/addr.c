/* The address parsing of addr.c (never its name resolution): unix paths,
 * IP literals with or without brackets, ports, and the text an address is
 * shown as. Checked by invariants:
 *
 *   - "unix:" is recognised in any case, and only at the start;
 *   - a unix path is copied whole into sun_path, or refused when longer;
 *   - a literal that parses comes back the same through inet_ntop and
 *     addr_from_ip again, with or without brackets; an IPv4 literal agrees
 *     with a dotted-quad parser written here; a string inet_pton takes
 *     (brackets stripped) is never refused;
 *   - addr_resolve of a literal gives that one address with the port, and
 *     never reaches the resolver (it is only called for literals);
 *   - addr_format writes "ip:port", "[ip]:port" or "unix:path", cut to
 *     the buffer and always terminated;
 *   - conn_bind and dgram_bind refuse brackets and take what addr_from_ip
 *     takes.
 *
 * Input: two bytes of port, one byte of buffer size, then the host. The
 * host ends at the first NUL, as the C functions see it. */
#include "core/addr.h"
#include "core/conn.h"
#include "core/dgram.h"
#include "core/err.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HOST_MAX 512

static void check(int ok, const char *what, const char *host)
{
    if (!ok) {
        fprintf(stderr, "fuzz: %s (host \"%s\")\n", what, host);
        abort();
    }
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* inet_pton's IPv4 form, written out: four decimal numbers of 0..255
 * separated by dots, no leading zeros, nothing else. */
static int dotted_quad(const char *s, unsigned char out[4])
{
    int part;

    for (part = 0; part < 4; part++) {
        unsigned v = 0;
        int digits = 0;
        if (part > 0 && *s++ != '.')
            return 0;
        while (*s >= '0' && *s <= '9') {
            if (digits > 0 && v == 0)
                return 0; /* a leading zero */
            v = v * 10 + (unsigned)(*s++ - '0');
            if (v > 255)
                return 0;
            digits++;
        }
        if (digits == 0)
            return 0;
        out[part] = (unsigned char)v;
    }
    return *s == '\0';
}

/* host without one pair of enclosing brackets, as addr_from_ip reads it */
static void unbracket(const char *host, char *out)
{
    size_t n = strlen(host);
    if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
        memcpy(out, host + 1, n - 2);
        out[n - 2] = '\0';
    } else {
        memcpy(out, host, n + 1);
    }
}

/* addr_format into a buffer of `len` bytes must give `full`, cut. The
 * buffer is allocated to that size exactly, so that ASan sees any byte
 * written past it. */
static void check_format(const addr_t *a, const char *full, size_t len,
                         const char *host)
{
    char *buf = malloc(len);
    size_t want = strlen(full);

    check(buf != NULL, "out of memory", host);
    if (want > len - 1)
        want = len - 1;
    addr_format((const struct sockaddr *)&a->ss, buf, len);
    check(strlen(buf) == want && memcmp(buf, full, want) == 0,
          "addr_format", host);
    free(buf);
}

static void check_unix(const char *host, size_t buflen)
{
    const char *path = host + 5;
    size_t n = strlen(path);
    char full[HOST_MAX + 8];
    addr_t a;
    const struct sockaddr_un *un = (const struct sockaddr_un *)&a.ss;
    int rc;

    memset(&a, 0xa5, sizeof a);
    rc = addr_from_unix(host, &a);
    if (n > sizeof un->sun_path) {
        check(rc == ERR_PATH_TOO_LONG, "a long path is not refused", host);
        return;
    }
    check(rc == ERR_OK, "a unix path is refused", host);
    check(un->sun_family == AF_UNIX, "unix family", host);
    check(a.len == offsetof(struct sockaddr_un, sun_path) + n, "unix length",
          host);
    check(memcmp(un->sun_path, path, n) == 0, "unix path bytes", host);
    snprintf(full, sizeof full, "unix:%s", path);
    check_format(&a, full, buflen, host);
}

static void check_literal(const char *host, int port, size_t buflen)
{
    char bare[HOST_MAX + 1], text[INET6_ADDRSTRLEN];
    char again[INET6_ADDRSTRLEN + 2];
    char full[INET6_ADDRSTRLEN + 16];
    unsigned char quad[4], raw[16];
    addr_t a, b, bound;
    addr_list_t list;
    conn_t c;
    dgram_t d;
    int rc, v4, v6, family;
    const void *bytes;
    size_t nbytes;

    unbracket(host, bare);
    v4 = inet_pton(AF_INET, bare, raw) == 1;
    v6 = !v4 && inet_pton(AF_INET6, bare, raw) == 1;
    check(dotted_quad(bare, quad) == v4, "dotted quad vs inet_pton", host);

    rc = addr_from_ip(host, &a);
    check((rc == ERR_OK) == (v4 || v6), "a literal refused or a name taken",
          host);

    conn_init(&c);
    rc = conn_bind(&c, host);
    check((rc == ERR_OK) == ((v4 || v6) && host[0] != '['), "conn_bind",
          host);
    check((c.local != NULL) == (rc == ERR_OK), "conn_bind: the address kept",
          host);
    if (c.local != NULL)
        bound = *c.local;
    conn_free(&c);
    dgram_init(&d);
    rc = dgram_bind(&d, host);
    check((rc == ERR_OK) == ((v4 || v6) && host[0] != '['), "dgram_bind",
          host);
    if (!v4 && !v6)
        return;

    family = a.ss.ss_family;
    check(family == (v4 ? AF_INET : AF_INET6), "family", host);
    if (v4) {
        const struct sockaddr_in *in4 = (const struct sockaddr_in *)&a.ss;
        check(a.len == sizeof *in4, "IPv4 length", host);
        check(memcmp(&in4->sin_addr, quad, 4) == 0, "IPv4 bytes", host);
        bytes = &in4->sin_addr;
        nbytes = 4;
    } else {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&a.ss;
        check(a.len == sizeof *in6, "IPv6 length", host);
        check(memcmp(&in6->sin6_addr, raw, 16) == 0, "IPv6 bytes", host);
        bytes = &in6->sin6_addr;
        nbytes = 16;
    }
    if (host[0] != '[')
        check(bound.len == a.len && memcmp(&bound.ss, &a.ss, a.len) == 0,
              "conn_bind address", host);

    /* round trip through the text form, bare and bracketed */
    check(inet_ntop(family, bytes, text, sizeof text) != NULL, "inet_ntop",
          host);
    check(addr_from_ip(text, &b) == ERR_OK && b.len == a.len
          && memcmp(&b.ss, &a.ss, a.len) == 0, "round trip", host);
    snprintf(again, sizeof again, "[%s]", text);
    check(addr_from_ip(again, &b) == ERR_OK && b.len == a.len
          && memcmp(&b.ss, &a.ss, a.len) == 0, "bracketed round trip", host);

    /* a literal resolves to itself without the resolver */
    rc = addr_resolve(host, port, SOCK_STREAM, io_deadline(1000), &list);
    check(rc == ERR_OK && list.n == 1, "addr_resolve of a literal", host);
    check(list.v[0].ss.ss_family == family && list.v[0].len == a.len,
          "addr_resolve: family", host);
    if (v4) {
        const struct sockaddr_in *r =
            (const struct sockaddr_in *)&list.v[0].ss;
        check(ntohs(r->sin_port) == port, "addr_resolve: port", host);
        check(memcmp(&r->sin_addr, bytes, nbytes) == 0, "addr_resolve: ip",
              host);
        snprintf(full, sizeof full, "%s:%d", text, port);
    } else {
        const struct sockaddr_in6 *r =
            (const struct sockaddr_in6 *)&list.v[0].ss;
        check(ntohs(r->sin6_port) == port, "addr_resolve: port", host);
        check(memcmp(&r->sin6_addr, bytes, nbytes) == 0, "addr_resolve: ip",
              host);
        snprintf(full, sizeof full, "[%s]:%d", text, port);
    }
    check_format(&list.v[0], full, buflen, host);
    addr_list_free(&list);
    check(list.v == NULL && list.n == 0, "addr_list_free", host);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char host[HOST_MAX + 1];
    size_t n, buflen;
    int port, is_unix;

    if (size < 3)
        return 0;
    port = data[0] << 8 | data[1];
    /* a buffer of 1..128 bytes: addr_format's callers use 120 */
    buflen = 1 + (size_t)(data[2] % 128);
    data += 3;
    size -= 3;
    n = size < HOST_MAX ? size : HOST_MAX;
    memcpy(host, data, n);
    host[n] = '\0';

    is_unix = addr_is_unix(host);
    check(is_unix == (strlen(host) >= 5 && lower(host[0]) == 'u'
                      && lower(host[1]) == 'n' && lower(host[2]) == 'i'
                      && lower(host[3]) == 'x' && host[4] == ':'),
          "addr_is_unix", host);
    if (is_unix)
        check_unix(host, buflen);
    check_literal(host, port, buflen);
    return 0;
}
