/* Address parsing and resolution of literals and names. */
#include "check.h"
#include "core/addr.h"
#include "core/err.h"

#include <string.h>
#include <sys/socket.h>

int main(void)
{
    addr_t a;
    addr_list_t l;
    char buf[128];
    int rc;

    CHECK("unix prefix", addr_is_unix("unix:/tmp/x"));
    CHECK("not unix", !addr_is_unix("127.0.0.1"));
    CHECK("unix path", addr_from_unix("unix:/tmp/x.sock", &a) == ERR_OK
                           && a.ss.ss_family == AF_UNIX);
    addr_format((struct sockaddr *)&a.ss, buf, sizeof buf);
    CHECK("unix format", strcmp(buf, "unix:/tmp/x.sock") == 0);
    {
        char longpath[200] = "unix:/";
        memset(longpath + 6, 'p', 150);
        longpath[156] = '\0';
        CHECK("unix too long",
              addr_from_unix(longpath, &a) == ERR_PATH_TOO_LONG);
    }

    CHECK("ipv4 literal", addr_from_ip("127.0.0.1", &a) == ERR_OK
                              && a.ss.ss_family == AF_INET);
    CHECK("ipv6 literal", addr_from_ip("::1", &a) == ERR_OK
                              && a.ss.ss_family == AF_INET6);
    CHECK("bracketed ipv6", addr_from_ip("[::1]", &a) == ERR_OK);
    CHECK("not a literal", addr_from_ip("localhost", &a) == ERR_RESOLVE);

    rc = addr_resolve("127.0.0.1", 8080, SOCK_STREAM, io_deadline(1000), &l);
    CHECK("numeric resolve", rc == ERR_OK && l.n == 1);
    addr_format((struct sockaddr *)&l.v[0].ss, buf, sizeof buf);
    CHECK("numeric format", strcmp(buf, "127.0.0.1:8080") == 0);
    addr_list_free(&l);

    rc = addr_resolve("::1", 443, SOCK_STREAM, io_deadline(1000), &l);
    addr_format((struct sockaddr *)&l.v[0].ss, buf, sizeof buf);
    CHECK("ipv6 format", rc == ERR_OK && strcmp(buf, "[::1]:443") == 0);
    addr_list_free(&l);

    /* /etc/hosts has localhost on every system we support */
    rc = addr_resolve("localhost", 80, SOCK_STREAM, io_deadline(5000), &l);
    CHECK("name resolves", rc == ERR_OK && l.n >= 1);
    addr_list_free(&l);

    rc = addr_resolve("no-such-host.invalid", 80, SOCK_STREAM,
                      io_deadline(2000), &l);
    CHECK("unknown name", rc == ERR_RESOLVE || rc == ERR_TIMEOUT);
    addr_list_free(&l);

    /* a deadline already past: the lookup is abandoned, not waited for */
    rc = addr_resolve("localhost", 80, SOCK_STREAM, io_deadline(-1), &l);
    CHECK("past deadline", rc == ERR_TIMEOUT || rc == ERR_OK);
    addr_list_free(&l);
    return check_report("addresses");
}
