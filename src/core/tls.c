#include "core/tls.h"
#include "core/err.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#if OPENSSL_VERSION_NUMBER < 0x30000000L
#define SSL_get1_peer_certificate SSL_get_peer_certificate
#endif

/* ---- a socket BIO that never raises SIGPIPE ---------------------------- */

static int bio_fd(BIO *b)
{
    return (int)(intptr_t)BIO_get_data(b);
}

static int bio_write(BIO *b, const char *p, int n)
{
    ssize_t r;
    BIO_clear_retry_flags(b);
    do {
        r = send(bio_fd(b), p, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (r < 0 && errno == EINTR);
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        BIO_set_retry_write(b);
    return (int)r;
}

static int bio_read(BIO *b, char *p, int n)
{
    ssize_t r;
    BIO_clear_retry_flags(b);
    do {
        r = recv(bio_fd(b), p, (size_t)n, MSG_DONTWAIT);
    } while (r < 0 && errno == EINTR);
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        BIO_set_retry_read(b);
    return (int)r;
}

static long bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    (void)b;
    (void)num;
    (void)ptr;
    return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

static int bio_create(BIO *b)
{
    BIO_set_init(b, 1);
    return 1;
}

/* The type index of our BIO method. BIO_get_new_index() hands out the
 * next number of a process-wide counter (at most 127 of them), so it is
 * taken once for every context of every Lua state: written once under
 * pthread_once, only read after that. -1: OpenSSL had none left. */
static pthread_once_t bio_index_once = PTHREAD_ONCE_INIT;
static int bio_index = -1;

static void take_bio_index(void)
{
    bio_index = BIO_get_new_index();
}

static tls_bio_t *bio_new(void)
{
    tls_bio_t *b;

    if (pthread_once(&bio_index_once, take_bio_index) != 0 || bio_index == -1)
        return NULL;
    b = calloc(1, sizeof *b);
    if (b == NULL)
        return NULL;
    b->meth = BIO_meth_new(bio_index | BIO_TYPE_SOURCE_SINK,
                           "resty.luasocket socket");
    if (b->meth == NULL) {
        free(b);
        return NULL;
    }
    BIO_meth_set_write(b->meth, bio_write);
    BIO_meth_set_read(b->meth, bio_read);
    BIO_meth_set_ctrl(b->meth, bio_ctrl);
    BIO_meth_set_create(b->meth, bio_create);
    b->refs = 1;
    return b;
}

static void bio_unref(tls_bio_t *b)
{
    if (b == NULL || --b->refs > 0)
        return;
    BIO_meth_free(b->meth);
    free(b);
}

/* ---- sessions ----------------------------------------------------------- */

tls_session_t *tls_session_new(void)
{
    tls_session_t *s = calloc(1, sizeof *s);
    if (s != NULL)
        s->refs = 1;
    return s;
}

void tls_session_ref(tls_session_t *s)
{
    s->refs++;
}

void tls_session_unref(tls_session_t *s)
{
    if (s == NULL || --s->refs > 0)
        return;
    if (s->sess != NULL)
        SSL_SESSION_free(s->sess);
    free(s);
}

/* What the callbacks of a connection need: its SSL's app data, made by
 * setup() and freed with the SSL. */
typedef struct {
    tls_session_t *keep; /* where new sessions go; may be NULL */
    char *name;          /* the name verification checks; NULL: none */
    char *reason;        /* while tls_handshake runs: the caller's buffer */
    size_t reason_len;   /* for why it failed; NULL after it */
    int host_failed;     /* the chain verified and the name did not */
} tls_app_t;

static int on_new_session(SSL *ssl, SSL_SESSION *sess)
{
    tls_app_t *app = SSL_get_app_data(ssl);
    tls_session_t *keep = app != NULL ? app->keep : NULL;
    if (keep == NULL || !SSL_SESSION_is_resumable(sess))
        return 0;
    if (keep->sess != NULL)
        SSL_SESSION_free(keep->sess);
    keep->sess = sess;
    return 1; /* we keep the reference */
}

/* ---- why a handshake failed ----------------------------------------------- */

/* Writes a reason into buf, unless one is there already: the first reason
 * found is the cause, what OpenSSL says after it follows from it. */
static void note(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;

    if (buf == NULL || len == 0 || buf[0] != '\0')
        return;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
}

/* Takes OpenSSL's error queue into buf as one line, the oldest (the
 * cause) first: "error:0A000086:SSL routines::certificate verify failed". */
static void note_queue(char *buf, size_t len)
{
    unsigned long e;
    size_t n;

    if (buf == NULL || len == 0 || buf[0] != '\0') {
        ERR_clear_error();
        return;
    }
    while ((e = ERR_get_error()) != 0) {
        n = strlen(buf);
        if (n > 0) {
            if (n + 3 >= len)
                continue; /* full: the rest is dropped from the queue */
            memcpy(buf + n, "; ", 3);
            n += 2;
        }
        ERR_error_string_n(e, buf + n, len - n);
    }
}

/* Why a chain did not verify: OpenSSL's code and text, and which
 * certificate of the chain it was about. */
static void note_chain(X509_STORE_CTX *st, char *buf, size_t len)
{
    long code = X509_STORE_CTX_get_error(st);
    int depth = X509_STORE_CTX_get_error_depth(st);
    STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(st);
    X509 *x = chain != NULL && depth >= 0 && depth < sk_X509_num(chain)
                  ? sk_X509_value(chain, depth)
                  : X509_STORE_CTX_get_current_cert(st);
    char subject[160] = "";

    if (x != NULL)
        X509_NAME_oneline(X509_get_subject_name(x), subject, sizeof subject);
    note(buf, len, "certificate verify failed at depth %d (%s): %ld: %s",
         depth, subject, code, X509_verify_cert_error_string(code));
}

/* ---- verification ----------------------------------------------------------- */

static int is_ip_literal(const char *name)
{
    unsigned char buf[sizeof(struct in6_addr)];
    return inet_pton(AF_INET, name, buf) == 1
           || inet_pton(AF_INET6, name, buf) == 1;
}

/* Whether cert is for name, by OpenSSL's matcher: wildcards only as a
 * whole left-most label, IP literals against IP address SANs. */
static int cert_matches(X509 *cert, const char *name)
{
    if (is_ip_literal(name))
        return X509_check_ip_asc(cert, name, 0) == 1;
    return X509_check_host(cert, name, 0,
                           X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, NULL) == 1;
}

static int host_matches(SSL *ssl, const char *name)
{
    X509 *cert = SSL_get1_peer_certificate(ssl);
    int ok = cert != NULL && cert_matches(cert, name);

    X509_free(cert);
    return ok;
}

static void note_host(char *buf, size_t len, X509 *cert, const char *name)
{
    char subject[160] = "";

    if (cert != NULL)
        X509_NAME_oneline(X509_get_subject_name(cert), subject,
                          sizeof subject);
    note(buf, len, "the certificate (%s) is not for %s", subject, name);
}

/* The verdict on each certificate: go on past every error, as nginx's
 * callback does, so that the error OpenSSL keeps at the end, the one
 * ngx_lua reports, is the last one of the chain. */
static int continue_on_error(int ok, X509_STORE_CTX *st)
{
    (void)ok;
    (void)st;
    return 1;
}

/* The verdict on the whole chain, taken inside the handshake: when the
 * connection asks for verification, a chain that does not verify, or a
 * certificate that is not for the name, fails the handshake here, before
 * the server learns anything more from us (our certificate above all).
 * The chain first and the name only for a chain that verified, as ngx_lua
 * judges them after its handshake, so that the error codes are its own. */
static int verify_in_handshake(X509_STORE_CTX *st, void *arg)
{
    SSL *ssl = X509_STORE_CTX_get_ex_data(st,
                                          SSL_get_ex_data_X509_STORE_CTX_idx());
    tls_app_t *app = ssl != NULL ? SSL_get_app_data(ssl) : NULL;
    int ok = X509_verify_cert(st);

    (void)arg;
    if (app == NULL || !(SSL_get_verify_mode(ssl) & SSL_VERIFY_PEER))
        return ok; /* and OpenSSL goes on whatever it says */
    if (ok <= 0 || X509_STORE_CTX_get_error(st) != X509_V_OK) {
        if (X509_STORE_CTX_get_error(st) == X509_V_OK)
            X509_STORE_CTX_set_error(st, X509_V_ERR_UNSPECIFIED);
        note_chain(st, app->reason, app->reason_len);
        return 0;
    }
    if (app->name != NULL
        && !cert_matches(X509_STORE_CTX_get0_cert(st), app->name)) {
        app->host_failed = 1;
        /* the alert OpenSSL sends the server says why */
        X509_STORE_CTX_set_error(st, X509_V_ERR_HOSTNAME_MISMATCH);
        note_host(app->reason, app->reason_len, X509_STORE_CTX_get0_cert(st),
                  app->name);
        return 0;
    }
    return 1;
}

/* ---- contexts ----------------------------------------------------------- */

/* Where distributions keep their CA bundle, most common first. */
static const char *const ca_bundles[] = {
    "/etc/ssl/certs/ca-certificates.crt",              /* Debian, Alpine */
    "/etc/pki/tls/certs/ca-bundle.crt",                /* RHEL, Fedora */
    "/etc/ssl/ca-bundle.pem",                          /* openSUSE */
    "/etc/ssl/cert.pem",                               /* macOS, Alpine */
    "/opt/homebrew/etc/openssl@3/cert.pem",            /* Homebrew arm64 */
    "/usr/local/etc/openssl@3/cert.pem",               /* Homebrew x86 */
    "/usr/local/etc/openssl/cert.pem",
};

static const char *system_ca_bundle(void)
{
    size_t i;
    for (i = 0; i < sizeof ca_bundles / sizeof ca_bundles[0]; i++)
        if (access(ca_bundles[i], R_OK) == 0)
            return ca_bundles[i];
    return NULL;
}

/* SSL_CERT_FILE and SSL_CERT_DIR (OpenSSL's names for them), which
 * OpenSSL's default paths and curl honour before their built-in CAs;
 * ignored, as OpenSSL ignores them, in a set-user-ID or set-group-ID
 * process, whose environment is its caller's. Whether either is set. */
static int env_ca(const char **file, const char **dir)
{
    const char *f, *d;

    *file = *dir = NULL;
    if (getuid() != geteuid() || getgid() != getegid())
        return 0;
    f = getenv(X509_get_default_cert_file_env());
    d = getenv(X509_get_default_cert_dir_env());
    *file = f != NULL && f[0] != '\0' ? f : NULL;
    *dir = d != NULL && d[0] != '\0' ? d : NULL;
    return *file != NULL || *dir != NULL;
}

static int ctx_error(tls_ctx_t *t, const char *what, char *err, size_t len)
{
    unsigned long e = ERR_get_error();
    char reason[200];

    ERR_error_string_n(e, reason, sizeof reason);
    snprintf(err, len, "%s: %s", what, e ? reason : "failed");
    ERR_clear_error();
    tls_ctx_free(t);
    return ERR_TLS_CTX;
}

int tls_ctx_init(tls_ctx_t *t, const tls_opts_t *o, char *err, size_t len)
{
    const char *bundle, *env_file, *env_dir;

    t->bio = NULL;
    t->ctx = SSL_CTX_new(TLS_client_method());
    if (t->ctx == NULL)
        return ctx_error(t, "SSL_CTX_new", err, len);
    SSL_CTX_set_min_proto_version(t->ctx, o->min_version ? o->min_version
                                                         : TLS1_2_VERSION);
    if (o->max_version)
        SSL_CTX_set_max_proto_version(t->ctx, o->max_version);
#ifdef SSL_OP_IGNORE_UNEXPECTED_EOF
    /* a peer that closes without close_notify is a closed peer, not an
     * error, as for plain TCP */
    SSL_CTX_set_options(t->ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
#endif
    SSL_CTX_set_mode(t->ctx, SSL_MODE_ENABLE_PARTIAL_WRITE
                                 | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    /* With AUTO_RETRY (OpenSSL's default), SSL_read goes on to the next
     * record after one that holds no application data, for as long as the
     * socket has more: a peer that sends only KeyUpdate or NewSessionTicket
     * records keeps it there past every deadline. Without it, SSL_read
     * returns WANT_READ after each such record, and we check the deadline
     * before reading on. */
    SSL_CTX_clear_mode(t->ctx, SSL_MODE_AUTO_RETRY);
    SSL_CTX_set_session_cache_mode(t->ctx, SSL_SESS_CACHE_CLIENT
                                               | SSL_SESS_CACHE_NO_INTERNAL);
    SSL_CTX_sess_set_new_cb(t->ctx, on_new_session);
    SSL_CTX_set_cert_verify_callback(t->ctx, verify_in_handshake, NULL);
    if (o->ciphers && !SSL_CTX_set_cipher_list(t->ctx, o->ciphers))
        return ctx_error(t, "bad ciphers", err, len);
    if (o->ciphersuites && !SSL_CTX_set_ciphersuites(t->ctx, o->ciphersuites))
        return ctx_error(t, "bad ciphersuites", err, len);
    if (o->verify_depth >= 0)
        SSL_CTX_set_verify_depth(t->ctx, o->verify_depth);

    if (o->cafile || o->capath) {
        if (!SSL_CTX_load_verify_locations(t->ctx, o->cafile, o->capath))
            return ctx_error(t, "cannot load the CA certificates", err, len);
    } else if (env_ca(&env_file, &env_dir)) {
        if (!SSL_CTX_load_verify_locations(t->ctx, env_file, env_dir))
            return ctx_error(t, "cannot load the CA certificates of "
                                "SSL_CERT_FILE / SSL_CERT_DIR", err, len);
    } else if ((bundle = system_ca_bundle()) != NULL) {
        if (!SSL_CTX_load_verify_locations(t->ctx, bundle, NULL))
            return ctx_error(t, "cannot load the system CA bundle", err, len);
    } else {
        SSL_CTX_set_default_verify_paths(t->ctx);
    }
    if (o->certfile
        && !SSL_CTX_use_certificate_chain_file(t->ctx, o->certfile))
        return ctx_error(t, "cannot load the client certificate", err, len);
    if (o->keyfile
        && !SSL_CTX_use_PrivateKey_file(t->ctx, o->keyfile, SSL_FILETYPE_PEM))
        return ctx_error(t, "cannot load the client key", err, len);

    t->bio = bio_new();
    if (t->bio == NULL)
        return ctx_error(t, "BIO_meth_new", err, len);
    return ERR_OK;
}

void tls_ctx_free(tls_ctx_t *t)
{
    if (t->ctx != NULL)
        SSL_CTX_free(t->ctx);
    bio_unref(t->bio);
    t->ctx = NULL;
    t->bio = NULL;
}

/* ---- client certificates ------------------------------------------------ */

/* PEM text that a memory BIO can take whole (its length is an int) and
 * that means one thing: with a NUL in it, OpenSSL's readers, some of which
 * stop at a NUL and some not, could each see another text. */
static int pem_usable(const char *pem, size_t len)
{
    return len <= INT_MAX && memchr(pem, '\0', len) == NULL;
}

int tls_cert_parse(tls_cert_t *c, const char *cert_pem, size_t cert_len,
                   const char *key_pem, size_t key_len)
{
    BIO *b;
    X509 *x;
    int rc = ERR_OK;

    memset(c, 0, sizeof *c);
    if (!pem_usable(cert_pem, cert_len))
        return ERR_TLS_CERT;
    if (!pem_usable(key_pem, key_len))
        return ERR_TLS_KEY;
    b = BIO_new_mem_buf(cert_pem, (int)cert_len);
    if (b == NULL)
        return ERR_NOMEM;
    c->cert = PEM_read_bio_X509(b, NULL, NULL, NULL);
    c->chain = sk_X509_new_null();
    while (c->cert != NULL && c->chain != NULL
           && (x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
        if (!sk_X509_push(c->chain, x)) {
            X509_free(x);
            rc = ERR_NOMEM;
            break;
        }
    }
    BIO_free(b);
    if (rc == ERR_OK && (c->cert == NULL || c->chain == NULL))
        rc = ERR_TLS_CERT;
    if (rc == ERR_OK) {
        b = BIO_new_mem_buf(key_pem, (int)key_len);
        c->key = b ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : NULL;
        BIO_free(b);
        if (c->key == NULL)
            rc = ERR_TLS_KEY;
        else if (!X509_check_private_key(c->cert, c->key))
            rc = ERR_TLS_KEY;
    }
    ERR_clear_error();
    if (rc != ERR_OK)
        tls_cert_free(c);
    return rc;
}

X509_STORE *tls_store_parse(const char *pem, size_t len)
{
    BIO *b = pem_usable(pem, len) ? BIO_new_mem_buf(pem, (int)len) : NULL;
    X509_STORE *st = b != NULL ? X509_STORE_new() : NULL;
    X509 *x;
    int n = 0;

    while (b != NULL && st != NULL && (x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
        if (X509_STORE_add_cert(st, x))
            n++;
        X509_free(x);
    }
    BIO_free(b);
    ERR_clear_error();
    if (n == 0) {
        X509_STORE_free(st);
        return NULL;
    }
    return st;
}

void tls_cert_free(tls_cert_t *c)
{
    X509_free(c->cert);
    if (c->chain != NULL)
        sk_X509_pop_free(c->chain, X509_free);
    EVP_PKEY_free(c->key);
    memset(c, 0, sizeof *c);
}

/* ---- handshake ---------------------------------------------------------- */

/* The CAs of a handshake's own cafile / capath, or NULL. */
static X509_STORE *opts_store(const tls_opts_t *o)
{
    X509_STORE *st = X509_STORE_new();

    if (st != NULL && !X509_STORE_load_locations(st, o->cafile, o->capath)) {
        X509_STORE_free(st);
        return NULL;
    }
    return st;
}

/* One handshake's own settings, over the context's: trust, protocol
 * range, ciphers, depth and a client certificate from files. */
static int apply_opts(SSL *ssl, const tls_opts_t *o)
{
    if (o->cafile || o->capath) {
        X509_STORE *st = opts_store(o);
        int ok = st != NULL && SSL_set1_verify_cert_store(ssl, st);
        X509_STORE_free(st);
        if (!ok)
            return ERR_TLS_CTX;
    }
    if ((o->min_version && !SSL_set_min_proto_version(ssl, o->min_version))
        || (o->max_version && !SSL_set_max_proto_version(ssl, o->max_version))
        || (o->ciphers && !SSL_set_cipher_list(ssl, o->ciphers))
        || (o->ciphersuites && !SSL_set_ciphersuites(ssl, o->ciphersuites)))
        return ERR_TLS_CTX;
    if (o->verify_depth >= 0)
        SSL_set_verify_depth(ssl, o->verify_depth);
    if ((o->certfile && !SSL_use_certificate_chain_file(ssl, o->certfile))
        || (o->keyfile
            && !SSL_use_PrivateKey_file(ssl, o->keyfile, SSL_FILETYPE_PEM)))
        return ERR_TLS_CTX;
    return ERR_OK;
}

static int setup(tls_ctx_t *t, SSL *ssl, int fd, const tls_hs_t *hs)
{
    tls_app_t *app = calloc(1, sizeof *app);
    BIO *b;
    int i, rc;

    if (app == NULL)
        return ERR_NOMEM;
    SSL_set_app_data(ssl, app);
    app->reason = hs->reason;
    app->reason_len = hs->reason_len;
    if (hs->verify && hs->server_name != NULL
        && (app->name = strdup(hs->server_name)) == NULL)
        return ERR_NOMEM;
    b = BIO_new(t->bio->meth);
    if (b == NULL)
        return ERR_NOMEM;
    BIO_set_data(b, (void *)(intptr_t)fd);
    SSL_set_bio(ssl, b, b);
    if (hs->server_name && !is_ip_literal(hs->server_name)
        && !SSL_set_tlsext_host_name(ssl, hs->server_name))
        return ERR_TLS_HANDSHAKE;
    if (hs->verify)
        SSL_set_verify(ssl, SSL_VERIFY_PEER, continue_on_error);
    if (hs->store && !SSL_set1_verify_cert_store(ssl, hs->store))
        return ERR_TLS_HANDSHAKE;
    /* ngx_lua only asks for the stapled response; neither side checks it */
    if (hs->status_req && !SSL_set_tlsext_status_type(ssl, TLSEXT_STATUSTYPE_ocsp))
        return ERR_TLS_HANDSHAKE;
    if (hs->resume && hs->resume->sess && !SSL_set_session(ssl, hs->resume->sess))
        return ERR_TLS_HANDSHAKE;
    if (hs->keep) {
        app->keep = hs->keep;
        tls_session_ref(hs->keep);
    }
    if (hs->opts && (rc = apply_opts(ssl, hs->opts)) != ERR_OK)
        return rc;
    if (hs->client) {
        if (!SSL_use_certificate(ssl, hs->client->cert)
            || !SSL_use_PrivateKey(ssl, hs->client->key))
            return ERR_TLS_CERT;
        for (i = 0; i < sk_X509_num(hs->client->chain); i++)
            if (!SSL_add1_chain_cert(ssl, sk_X509_value(hs->client->chain, i)))
                return ERR_TLS_CERT;
    }
    return ERR_OK;
}

/* Waits for what OpenSSL said it needs after a call that returned r; on
 * a failure, notes why. */
static int wait_for(SSL *ssl, int fd, int r, io_ms deadline,
                    const tls_hs_t *hs)
{
    int e = SSL_get_error(ssl, r), saved = errno;

    switch (e) {
    case SSL_ERROR_WANT_READ:
        return io_wait(fd, 0, deadline);
    case SSL_ERROR_WANT_WRITE:
        return io_wait(fd, 1, deadline);
    default:
        if (ERR_peek_error() != 0)
            note_queue(hs->reason, hs->reason_len);
        else if (e == SSL_ERROR_SYSCALL && saved != 0)
            note(hs->reason, hs->reason_len, "%s", strerror(saved));
        else if (e == SSL_ERROR_SYSCALL || e == SSL_ERROR_ZERO_RETURN)
            note(hs->reason, hs->reason_len,
                 "the peer closed the connection");
        else
            note(hs->reason, hs->reason_len, "SSL_connect: SSL_get_error %d",
                 e);
        return ERR_TLS_HANDSHAKE;
    }
}

/* The verdict after a handshake that completed with verification asked.
 * A full handshake was judged inside it already; a resumed one was not
 * (no certificate went by): its session keeps the chain's verdict of its
 * first handshake, and its certificate, whose name is checked here. */
static int check_after(SSL *ssl, const tls_hs_t *hs, long *verify_code)
{
    long v = SSL_get_verify_result(ssl);
    X509 *cert;

    if (v != X509_V_OK) {
        *verify_code = v;
        note(hs->reason, hs->reason_len,
             "certificate verify failed (resumed session): %ld: %s", v,
             X509_verify_cert_error_string(v));
        return ERR_TLS_VERIFY;
    }
    if (hs->server_name && !host_matches(ssl, hs->server_name)) {
        cert = SSL_get1_peer_certificate(ssl);
        note_host(hs->reason, hs->reason_len, cert, hs->server_name);
        X509_free(cert);
        return ERR_TLS_HOST;
    }
    return ERR_OK;
}

int tls_handshake(tls_ctx_t *t, int fd, const tls_hs_t *hs, io_ms deadline,
                  tls_conn_t *out, long *verify_code)
{
    tls_app_t *app;
    int rc, r;

    memset(out, 0, sizeof *out);
    *verify_code = 0;
    if (hs->reason != NULL && hs->reason_len > 0)
        hs->reason[0] = '\0';
    out->ssl = SSL_new(t->ctx);
    if (out->ssl == NULL)
        return ERR_NOMEM;
    out->bio = t->bio;
    t->bio->refs++;
    ERR_clear_error();
    rc = setup(t, out->ssl, fd, hs);
    if (rc != ERR_OK)
        note_queue(hs->reason, hs->reason_len);
    while (rc == ERR_OK) {
        ERR_clear_error();
        r = SSL_connect(out->ssl);
        if (r == 1)
            break;
        rc = wait_for(out->ssl, fd, r, deadline, hs);
    }
    ERR_clear_error();
    if (rc == ERR_TIMEOUT)
        note(hs->reason, hs->reason_len,
             "the handshake did not end within the connect timeout");
    app = SSL_get_app_data(out->ssl);
    if (rc == ERR_TLS_HANDSHAKE && hs->verify && app != NULL) {
        /* failed by verify_in_handshake? Then say what it found. */
        long v = SSL_get_verify_result(out->ssl);
        if (app->host_failed) {
            rc = ERR_TLS_HOST;
        } else if (v != X509_V_OK) {
            *verify_code = v;
            rc = ERR_TLS_VERIFY;
        }
    }
    if (rc == ERR_OK && hs->verify)
        rc = check_after(out->ssl, hs, verify_code);
    if (rc == ERR_OK && hs->keep != NULL && hs->keep->sess == NULL) {
        /* a resumed TLS 1.2 session is not announced as new: keep it so
         * that the next handshake can resume too */
        SSL_SESSION *sess = SSL_get1_session(out->ssl);
        if (sess != NULL && SSL_SESSION_is_resumable(sess))
            hs->keep->sess = sess;
        else if (sess != NULL)
            SSL_SESSION_free(sess);
    }
    /* the caller's buffer is not ours after this call (a renegotiation
     * verifies again, with nowhere to write) */
    if (app != NULL) {
        app->reason = NULL;
        app->reason_len = 0;
    }
    out->verify = hs->verify;
    if (rc != ERR_OK)
        tls_conn_close(out);
    return rc;
}

/* Verifies the chain a connection's peer sent, now, as a handshake would
 * have: against hs->store, else hs->opts' CAs, else t's; with t's
 * verification settings and the depth of hs->opts. */
static int verify_peer_chain(tls_ctx_t *t, SSL *ssl, const tls_hs_t *hs,
                             long *verify_code)
{
    X509 *leaf = SSL_get1_peer_certificate(ssl);
    X509_STORE *own = NULL, *store = hs->store;
    X509_STORE_CTX *st = NULL;
    X509_VERIFY_PARAM *param;
    int rc = ERR_NOMEM;

    if (leaf == NULL) {
        note(hs->reason, hs->reason_len, "the server sent no certificate");
        return ERR_TLS_HANDSHAKE;
    }
    if (store == NULL && hs->opts && (hs->opts->cafile || hs->opts->capath)) {
        store = own = opts_store(hs->opts);
        if (store == NULL) {
            rc = ERR_TLS_CTX;
            note_queue(hs->reason, hs->reason_len);
            goto out;
        }
    }
    if (store == NULL)
        store = SSL_CTX_get_cert_store(t->ctx);
    st = X509_STORE_CTX_new();
    if (st == NULL
        || !X509_STORE_CTX_init(st, store, leaf, SSL_get_peer_cert_chain(ssl)))
        goto out;
    param = X509_STORE_CTX_get0_param(st);
    /* what ssl_verify_cert_chain sets for a client: the server purpose,
     * the context's parameters, the connection's security level */
    X509_STORE_CTX_set_default(st, "ssl_server");
    X509_VERIFY_PARAM_set1(param, SSL_CTX_get0_param(t->ctx));
    X509_VERIFY_PARAM_set_auth_level(param, SSL_get_security_level(ssl));
    if (hs->opts && hs->opts->verify_depth >= 0)
        X509_STORE_CTX_set_depth(st, hs->opts->verify_depth);
    X509_STORE_CTX_set_verify_cb(st, continue_on_error);
    if (X509_verify_cert(st) <= 0 || X509_STORE_CTX_get_error(st) != X509_V_OK) {
        if (X509_STORE_CTX_get_error(st) == X509_V_OK)
            X509_STORE_CTX_set_error(st, X509_V_ERR_UNSPECIFIED);
        *verify_code = X509_STORE_CTX_get_error(st);
        note_chain(st, hs->reason, hs->reason_len);
        rc = ERR_TLS_VERIFY;
    } else {
        rc = ERR_OK;
    }
out:
    X509_STORE_CTX_free(st);
    X509_STORE_free(own);
    X509_free(leaf);
    ERR_clear_error();
    return rc;
}

int tls_conn_recheck(tls_ctx_t *t, tls_conn_t *c, const tls_hs_t *hs,
                     long *verify_code)
{
    X509 *cert;
    int rc;

    *verify_code = 0;
    if (hs->reason != NULL && hs->reason_len > 0)
        hs->reason[0] = '\0';
    if (!hs->verify)
        return ERR_OK;
    if (!c->verify) {
        rc = verify_peer_chain(t, c->ssl, hs, verify_code);
        if (rc != ERR_OK)
            return rc;
        c->verify = 1;
    }
    if (hs->server_name != NULL && !host_matches(c->ssl, hs->server_name)) {
        cert = SSL_get1_peer_certificate(c->ssl);
        note_host(hs->reason, hs->reason_len, cert, hs->server_name);
        X509_free(cert);
        return ERR_TLS_HOST;
    }
    return ERR_OK;
}

/* ---- I/O ------------------------------------------------------------------ */

/* The status of a failed SSL_read/SSL_write that needs no waiting. */
static int io_failure(SSL *ssl, int r)
{
    int e = SSL_get_error(ssl, r), saved = errno;
    ERR_clear_error();
    if (e == SSL_ERROR_ZERO_RETURN)
        return ERR_CLOSED;
    if (e == SSL_ERROR_SYSCALL)
        return r == 0 || saved == 0 ? ERR_CLOSED : saved;
    return ERR_TLS_IO;
}

int tls_read(SSL *ssl, int fd, char *p, size_t max, io_ms deadline,
             size_t *got)
{
    int n = max > INT32_MAX ? INT32_MAX : (int)max, r, e, rc;

    *got = 0;
    for (;;) {
        ERR_clear_error();
        r = SSL_read(ssl, p, n);
        if (r > 0) {
            *got = (size_t)r;
            return ERR_OK;
        }
        e = SSL_get_error(ssl, r);
        if (e == SSL_ERROR_WANT_READ)
            rc = io_wait(fd, 0, deadline);
        else if (e == SSL_ERROR_WANT_WRITE)
            rc = io_wait(fd, 1, deadline);
        else
            return io_failure(ssl, r);
        if (rc != ERR_OK)
            return rc;
    }
}

int tls_write_all(SSL *ssl, int fd, const char *p, size_t n, io_ms deadline,
                  size_t *sent)
{
    size_t done = 0;
    int r, e, rc;

    while (done < n) {
        size_t left = n - done;
        ERR_clear_error();
        r = SSL_write(ssl, p + done, left > INT32_MAX ? INT32_MAX : (int)left);
        if (r > 0) {
            done += (size_t)r;
            /* (a record at a time: a peer that reads as fast as we write
             * never makes us wait, where the deadline is checked
             * otherwise) */
            if (done < n && io_deadline_passed(&deadline)) {
                *sent = done;
                return ERR_TIMEOUT;
            }
            continue;
        }
        e = SSL_get_error(ssl, r);
        if (e == SSL_ERROR_WANT_WRITE)
            rc = io_wait(fd, 1, io_deadline_fix(&deadline));
        else if (e == SSL_ERROR_WANT_READ)
            rc = io_wait(fd, 0, io_deadline_fix(&deadline));
        else
            rc = io_failure(ssl, r);
        if (rc == ERR_CLOSED)
            rc = EPIPE;
        if (rc != ERR_OK) {
            *sent = done;
            return rc;
        }
    }
    *sent = done;
    return ERR_OK;
}

/* The protocol records an idle check consumes at most. A server sends a
 * few tickets after the handshake and now and then a KeyUpdate; one that
 * keeps sending them is busy, not idle, and must not keep us here. */
#define TLS_IDLE_RECORDS 32

int tls_idle_state(SSL *ssl, int fd)
{
    char c;
    int i, r, state;

    for (i = 0; i < TLS_IDLE_RECORDS; i++) {
        state = io_peek(fd);
        if (state != 1)
            return state;
        /* records are waiting: let OpenSSL take what is protocol only (one
         * record per call: AUTO_RETRY is off) */
        ERR_clear_error();
        r = SSL_read(ssl, &c, 1);
        if (r > 0)
            return 1; /* and that byte is lost: the connection is spoilt */
        if (SSL_get_error(ssl, r) != SSL_ERROR_WANT_READ)
            return io_failure(ssl, r);
    }
    return 1;
}

void tls_conn_abandon(tls_conn_t *t)
{
    if (t->ssl != NULL)
        SSL_set_quiet_shutdown(t->ssl, 1);
    tls_conn_close(t);
}

void tls_conn_close(tls_conn_t *t)
{
    if (t->ssl != NULL) {
        tls_app_t *app = SSL_get_app_data(t->ssl);
        ERR_clear_error();
        /* one try: close_notify goes out if the socket takes it right now */
        if (SSL_is_init_finished(t->ssl) && !SSL_get_quiet_shutdown(t->ssl))
            SSL_shutdown(t->ssl);
        ERR_clear_error();
        SSL_free(t->ssl);
        if (app != NULL) {
            tls_session_unref(app->keep);
            free(app->name);
            free(app);
        }
    }
    bio_unref(t->bio);
    memset(t, 0, sizeof *t);
}

char *tls_peer_cert_pem(SSL *ssl, size_t *len)
{
    X509 *cert = SSL_get1_peer_certificate(ssl);
    BIO *b;
    char *data, *out = NULL;
    long n;

    if (cert == NULL)
        return NULL;
    b = BIO_new(BIO_s_mem());
    if (b != NULL && PEM_write_bio_X509(b, cert)) {
        n = BIO_get_mem_data(b, &data);
        out = malloc((size_t)n);
        if (out != NULL) {
            memcpy(out, data, (size_t)n);
            *len = (size_t)n;
        }
    }
    BIO_free(b);
    X509_free(cert);
    return out;
}

SSL_SESSION *tls_current_session(SSL *ssl)
{
    return SSL_get1_session(ssl);
}
