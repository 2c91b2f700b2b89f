/* Every error the core reports, and the text a user sees for it.
 *
 * The core returns an int status: 0 on success, a positive errno value for a
 * system error, or one of the negative ERR_* codes below. err_text() turns
 * either into the string ngx_lua's cosocket gives for the same condition. */
#ifndef LRLS_ERR_H
#define LRLS_ERR_H

#include <stddef.h>

enum {
    ERR_OK = 0,
    ERR_TIMEOUT = -1,       /* a deadline passed */
    ERR_CLOSED = -2,        /* the peer closed, or the socket is closed */
    ERR_NOMEM = -3,         /* an allocation failed */
    ERR_RESOLVE = -4,       /* the host name did not resolve */
    ERR_NOPORT = -5,        /* a host without a port */
    ERR_PATH_TOO_LONG = -6, /* a unix socket path longer than sun_path */
    ERR_PARTIAL = -7,       /* a datagram went out cut */
    ERR_TLS_HANDSHAKE = -8, /* the TLS handshake failed */
    ERR_TLS_VERIFY = -9,    /* the chain did not verify (code aside) */
    ERR_TLS_HOST = -10,     /* the certificate is not for that name */
    ERR_TLS_CERT = -11,     /* a client certificate that does not parse */
    ERR_TLS_KEY = -12,      /* a client key that does not parse or fit */
    ERR_TLS_IO = -13,       /* a broken record after the handshake */
    ERR_TLS_CTX = -14,      /* the TLS settings are unusable */
    ERR_RESOLVE_TIMEOUT = -15, /* the deadline passed during a name lookup */
    ERR_TOO_LARGE = -16     /* a read would hold more than max_buffer */
};

#define ERRSTR_TIMEOUT "timeout"
#define ERRSTR_CLOSED "closed"
#define ERRSTR_NOMEM "no memory"
#define ERRSTR_NOPORT "missing the port number"
/* ngx_lua has no such limit, so no wording of its own: the name says which
 * setting was reached (set_max_buffer) */
#define ERRSTR_TOO_LARGE "buffer too large"

/* Writes the user-visible text of status `code` into buf (at most len bytes,
 * NUL included) and returns buf. */
const char *err_text(int code, char *buf, size_t len);

/* For a failed name lookup (ERR_RESOLVE, ERR_RESOLVE_TIMEOUT): what goes in
 * the parentheses of "NAME could not be resolved (...)", in nginx's
 * resolver's words; NULL for every other status. */
const char *err_resolve_reason(int code);

#endif
