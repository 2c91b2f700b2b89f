/* Address parsing and resolution of literals and names. */
#include "check.h"
#include "core/addr.h"
#include "core/err.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* Run by tests/fault/resolver.sh, in a namespace whose only nameserver
 * never answers (and gives up on a name after about 2 s): the bound on
 * lookups in flight, and a child forked while every slot hangs. */
static void hung_resolver(void)
{
    addr_list_t l;
    char name[64];
    int i, rc, status = -1;
    pid_t pid;
    io_ms t0;

    for (i = 0; i < 64; i++) {
        snprintf(name, sizeof name, "c%d.hang.test", i);
        rc = addr_resolve(name, 80, SOCK_STREAM, io_deadline(1), &l);
        CHECK("a hung name times out", rc == ERR_RESOLVE_TIMEOUT);
    }
    /* every slot holds a name that hangs: localhost waits for one */
    t0 = io_now();
    rc = addr_resolve("localhost", 80, SOCK_STREAM, io_deadline(200), &l);
    CHECK("no slot within 200 ms", rc == ERR_RESOLVE_TIMEOUT);
    CHECK("waited for it", io_now() - t0 >= 190);

    /* the threads do not come along into a child: its lookups start at
     * once (alarm: a mutex left locked would hang it) */
    pid = fork();
    if (pid == 0) {
        alarm(10);
        t0 = io_now();
        rc = addr_resolve("localhost", 80, SOCK_STREAM, io_deadline(1000), &l);
        _exit(rc == ERR_OK && io_now() - t0 < 500 ? 0 : 1);
    }
    CHECK("fork", pid > 0);
    if (pid > 0)
        CHECK("the child resolves localhost at once",
              waitpid(pid, &status, 0) == pid && WIFEXITED(status)
                  && WEXITSTATUS(status) == 0);

    /* the parent's slots free when the resolver gives up */
    rc = addr_resolve("localhost", 80, SOCK_STREAM, io_deadline(5000), &l);
    CHECK("localhost once a slot frees", rc == ERR_OK && l.n >= 1);
    addr_list_free(&l);
}

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
    CHECK("unknown name", rc == ERR_RESOLVE || rc == ERR_RESOLVE_TIMEOUT);
    addr_list_free(&l);

    /* a deadline already past: the lookup is abandoned, not waited for */
    rc = addr_resolve("localhost", 80, SOCK_STREAM, io_deadline(-1), &l);
    CHECK("past deadline", rc == ERR_RESOLVE_TIMEOUT || rc == ERR_OK);
    addr_list_free(&l);

    if (getenv("LUASOCKET_RESOLVER_NS") != NULL)
        hung_resolver();
    return check_report("addresses");
}
