/* TLS over a connected non-blocking descriptor, through OpenSSL: contexts
 * (trust, protocol range, ciphers), the client handshake with SNI, chain
 * and host name verification, resumable sessions, and reads and writes that
 * honour the same deadlines as plain I/O. */
#ifndef LRLS_TLS_H
#define LRLS_TLS_H

#include "core/io.h"

#include <openssl/ssl.h>
#include <stddef.h>

/* What the library-wide defaults may set; NULL/0 fields keep OpenSSL's or
 * ours (TLS 1.2 minimum, the system CA bundle). */
typedef struct {
    const char *cafile, *capath;
    int min_version, max_version; /* TLS1_2_VERSION, ...; 0: default */
    const char *ciphers;          /* TLS 1.2 and below */
    const char *ciphersuites;     /* TLS 1.3 */
    int verify_depth;             /* < 0: OpenSSL's */
    const char *certfile, *keyfile; /* a default client certificate, PEM */
} tls_opts_t;

/* The socket BIO method our connections use (one that never raises
 * SIGPIPE), shared by reference: connections may outlive their context. */
typedef struct {
    int refs;
    BIO_METHOD *meth;
} tls_bio_t;

/* A context and the BIO method of its connections. */
typedef struct {
    SSL_CTX *ctx;
    tls_bio_t *bio;
} tls_ctx_t;

/* A session to resume, filled when the server issues one: during the
 * handshake for TLS 1.2, after it (on a later read) for TLS 1.3. Shared by
 * reference between the Lua object and the connections that may fill it. */
typedef struct {
    int refs;
    SSL_SESSION *sess;
} tls_session_t;

tls_session_t *tls_session_new(void);
void tls_session_ref(tls_session_t *s);
void tls_session_unref(tls_session_t *s);

/* Builds a context; on failure returns a status and writes why into err. */
int tls_ctx_init(tls_ctx_t *t, const tls_opts_t *o, char *err, size_t len);
void tls_ctx_free(tls_ctx_t *t);

/* A client certificate: the leaf, its chain, and the private key. */
typedef struct {
    X509 *cert;
    STACK_OF(X509) *chain;
    EVP_PKEY *key;
} tls_cert_t;

/* Parses PEM text (certificate then any intermediates; a private key).
 * Returns 0 or ERR_TLS_CERT / ERR_TLS_KEY. */
int tls_cert_parse(tls_cert_t *c, const char *cert_pem, size_t cert_len,
                   const char *key_pem, size_t key_len);
void tls_cert_free(tls_cert_t *c);

/* A store of the CA certificates in PEM text (one or more), or NULL when
 * the text holds none or does not parse. */
X509_STORE *tls_store_parse(const char *pem, size_t len);

typedef struct {
    const char *server_name; /* SNI and host check; NULL: neither */
    int verify;              /* check the chain and the name */
    tls_session_t *resume;   /* offered for resumption; may be NULL */
    tls_session_t *keep;     /* filled with the new session; may be NULL */
    const tls_cert_t *client; /* may be NULL */
    const tls_opts_t *opts;   /* this handshake's own settings; may be NULL */
    int status_req;           /* send status_request (OCSP stapling) */
    X509_STORE *store;        /* trust these CAs instead; may be NULL */
    char *reason;             /* filled with why it failed, in OpenSSL's */
    size_t reason_len;        /* words when it has some; may be NULL */
} tls_hs_t;

/* A connection's TLS layer, and whether its chain was verified (a later
 * handshake asking for verification on it need not verify it again). */
typedef struct {
    SSL *ssl;      /* NULL: plain TCP */
    tls_bio_t *bio;
    int verify;
} tls_conn_t;

/* Runs the client handshake on fd. On success *out holds the connection. A
 * verify failure is ERR_TLS_VERIFY with the X509 code in *verify_code; a
 * name the certificate does not cover is ERR_TLS_HOST. With verification
 * asked, both fail the handshake itself (inside OpenSSL's verification),
 * so that nothing of ours, a client certificate above all, reaches a
 * server that fails them. */
int tls_handshake(tls_ctx_t *t, int fd, const tls_hs_t *hs, io_ms deadline,
                  tls_conn_t *out, long *verify_code);

/* A handshake asked of a connection that is TLS already (a second call, or
 * one taken from the pool): with hs->verify, verifies the peer's chain if
 * no handshake on it did (against hs->store, hs->opts' CAs or t's), then
 * checks its certificate against hs->server_name. Returns 0, ERR_TLS_VERIFY
 * (the X509 code in *verify_code) or ERR_TLS_HOST; without hs->verify, 0.
 * Nothing goes over the wire. */
int tls_conn_recheck(tls_ctx_t *t, tls_conn_t *c, const tls_hs_t *hs,
                     long *verify_code);

/* Sends close_notify if the socket takes it now, frees the connection and
 * forgets it. */
void tls_conn_close(tls_conn_t *t);

/* Frees the connection without a word to the peer: for a copy inherited
 * across fork(), whose socket still serves the parent. */
void tls_conn_abandon(tls_conn_t *t);

/* One SSL_read of application data, waiting until the deadline. Records
 * without application data (KeyUpdate, NewSessionTicket) are taken one at
 * a time, each followed by the wait and its deadline check. */
int tls_read(SSL *ssl, int fd, char *p, size_t max, io_ms deadline,
             size_t *got);
/* Writes all of p[0..n), checking the deadline after every record. */
int tls_write_all(SSL *ssl, int fd, const char *p, size_t n, io_ms deadline,
                  size_t *sent);

/* Whether an idle TLS connection is fit for reuse: 0 yes, 1 the peer sent
 * application data (or more protocol records than an idle peer sends),
 * ERR_CLOSED it closed, or an error. Protocol records that arrived
 * meanwhile (TLS 1.3 tickets, KeyUpdates) are consumed, not held against
 * it. Never waits, and never spins. */
int tls_idle_state(SSL *ssl, int fd);



/* The PEM of the peer's certificate, malloc'd, or NULL. */
char *tls_peer_cert_pem(SSL *ssl, size_t *len);

/* The session the connection would resume with, with a reference, or NULL. */
SSL_SESSION *tls_current_session(SSL *ssl);

#endif
