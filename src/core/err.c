#include "core/err.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The errnos users meet most, spelled as ngx_lua spells them (strerror with
 * its first letter lowered). Fixed strings keep them independent of the C
 * library's wording and of the locale. */
static const char *errno_text(int e)
{
    switch (e) {
    case ECONNREFUSED: return "connection refused";
    case ECONNRESET:   return "connection reset by peer";
    case EPIPE:        return "broken pipe";
    case ENOENT:       return "no such file or directory";
    case ENETUNREACH:  return "network is unreachable";
    case EHOSTUNREACH: return "no route to host";
    case EACCES:       return "permission denied";
    case EADDRINUSE:   return "address already in use";
    case EADDRNOTAVAIL: return "cannot assign requested address";
    case EAFNOSUPPORT: return "address family not supported by protocol";
    case ENOTSOCK:     return "socket operation on non-socket";
    case ECONNABORTED: return "software caused connection abort";
    case EMFILE:       return "too many open files";
    case ENOTDIR:      return "not a directory";
    default:           return NULL;
    }
}

const char *err_text(int code, char *buf, size_t len)
{
    const char *s = NULL;

    switch (code) {
    case ERR_TIMEOUT: s = ERRSTR_TIMEOUT; break;
    case ERR_CLOSED: s = ERRSTR_CLOSED; break;
    case ERR_NOMEM: s = ERRSTR_NOMEM; break;
    case ERR_NOPORT: s = ERRSTR_NOPORT; break;
    case ERR_TOO_LARGE: s = ERRSTR_TOO_LARGE; break;
    case ERR_RESOLVE: s = "host not found"; break;
    case ERR_RESOLVE_TIMEOUT: s = "operation timed out"; break;
    case ERR_PATH_TOO_LONG: s = "unix socket path too long"; break;
    case ERR_PARTIAL: s = "partial write"; break;
    case ERR_TLS_HANDSHAKE: s = "handshake failed"; break;
    case ERR_TLS_VERIFY: s = "certificate verify failed"; break;
    case ERR_TLS_HOST: s = "certificate host mismatch"; break;
    case ERR_TLS_CERT: s = "bad client certificate"; break;
    case ERR_TLS_KEY: s = "bad client private key"; break;
    case ERR_TLS_IO: s = "error"; break;
    case ERR_TLS_CTX: s = "bad TLS settings"; break;
    default:
        if (code > 0)
            s = errno_text(code);
        break;
    }
    if (s != NULL) {
        snprintf(buf, len, "%s", s);
        return buf;
    }
    if (code > 0)
        snprintf(buf, len, "%s", strerror(code));
    else
        snprintf(buf, len, "error %d", code);
    if (len > 0)
        buf[0] = (char)tolower((unsigned char)buf[0]);
    return buf;
}

const char *err_resolve_reason(int code)
{
    switch (code) {
    case ERR_RESOLVE: return "3: Host not found";
    /* ngx_lua's words when its resolver_timeout passes */
    case ERR_RESOLVE_TIMEOUT: return "110: Operation timed out";
    default: return NULL;
    }
}
