/*
 * tls_peer: a TLS 1.3 server that sends what `openssl s_server` cannot, for
 * the tests of hostile TLS peers: floods of KeyUpdate and NewSessionTicket
 * records.
 *
 *   build/tls_peer --cert PEM --key PEM [--max-seconds S] SCRIPT
 *
 * Listens on 127.0.0.1, an ephemeral port, prints "port N" on stdout once
 * listening, and serves every connection in a forked child: the handshake
 * (TLS 1.3, TLS_AES_128_GCM_SHA256, no tickets of OpenSSL's own), then
 * SCRIPT. SIGTERM/SIGINT or the end of --max-seconds (default 30) stop the
 * parent and kill its children. SCRIPT: steps separated by ';':
 *
 *   keyupdate[:N]  N KeyUpdate records (update_not_requested); without N,
 *                  until the client goes away
 *   ticket[:N]     N NewSessionTicket records (an opaque ticket that no
 *                  server would take back), the same way
 *   data[:N]       N bytes of application data ('x'); without N, endless
 *   send:TEXT      TEXT as application data (no escapes)
 *   sleep:MS       wait
 *   hold           read and discard until the client closes
 *
 * OpenSSL runs the handshake and every read. What the server sends after
 * the handshake is encrypted here, from the traffic secret OpenSSL logs:
 * OpenSSL makes a ticket more slowly than a client takes one in, and sends
 * every post-handshake message in a write of its own, so a flood of its
 * records never outpaces the client. Here a record costs one AES-GCM
 * encryption, and records go out 64 KiB at a time.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void die(const char *what)
{
    fprintf(stderr, "tls_peer: %s\n", what);
    ERR_print_errors_fp(stderr);
    exit(2);
}

/* ---- the server's half of the record layer, after the handshake -------- */

/* The server's write side: a child serves one connection, so one
 * instance per process is all there is. */
static struct {
    unsigned char secret[32]; /* server application traffic secret */
    int have_secret;
    unsigned char key[16], iv[12];
    unsigned long long seq;   /* records sent with this key */
    unsigned char out[65536 + 512];
    size_t used;              /* bytes of out waiting to be sent */
    int fd;
} w;

/* HKDF-Expand-Label of RFC 8446 with SHA-256, for up to 32 bytes */
static void expand_label(const unsigned char secret[32], const char *label,
                         unsigned char *out, size_t len)
{
    unsigned char info[64], t[EVP_MAX_MD_SIZE];
    unsigned int tlen = 0;
    size_t n = 0, l = strlen(label);

    info[n++] = (unsigned char)(len >> 8);
    info[n++] = (unsigned char)len;
    info[n++] = (unsigned char)(6 + l);
    memcpy(info + n, "tls13 ", 6);
    n += 6;
    memcpy(info + n, label, l);
    n += l;
    info[n++] = 0;    /* no context */
    info[n++] = 1;    /* T(1): one block is enough */
    if (HMAC(EVP_sha256(), secret, 32, info, n, t, &tlen) == NULL)
        die("HMAC failed");
    memcpy(out, t, len);
}

static void derive_keys(void)
{
    expand_label(w.secret, "key", w.key, sizeof w.key);
    expand_label(w.secret, "iv", w.iv, sizeof w.iv);
    w.seq = 0;
}

/* the SSL_CTX keylog callback: the secret of the server's first
 * application traffic keys */
static void on_keylog(const SSL *ssl, const char *line)
{
    static const char tag[] = "SERVER_TRAFFIC_SECRET_0 ";
    const char *hex;
    int i;

    (void)ssl;
    if (strncmp(line, tag, sizeof tag - 1) != 0)
        return;
    hex = strchr(line + sizeof tag - 1, ' ');
    if (hex == NULL || strlen(hex + 1) != 64)
        die("unexpected key log line");
    for (i = 0; i < 32; i++) {
        unsigned v;
        if (sscanf(hex + 1 + 2 * i, "%2x", &v) != 1)
            die("unexpected key log line");
        w.secret[i] = (unsigned char)v;
    }
    w.have_secret = 1;
    derive_keys();
}

static int flush_out(void)
{
    const unsigned char *p = w.out;
    size_t n = w.used;

    w.used = 0;
    while (n > 0) {
        ssize_t k = send(w.fd, p, n, 0);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* One TLSCiphertext of content type `type` holding data[0..n), n < 16 KiB;
 * 0, or -1 when the client is gone. */
static int put_record(int type, const unsigned char *data, size_t n)
{
    unsigned char nonce[12], *rec;
    EVP_CIPHER_CTX *cx;
    size_t len = n + 1 + 16; /* the inner type, the tag */
    int i, k, ok;

    if (w.used + 5 + len > sizeof w.out && flush_out() < 0)
        return -1;
    rec = w.out + w.used;
    rec[0] = 23; /* opaque_type: application_data */
    rec[1] = 3;
    rec[2] = 3;
    rec[3] = (unsigned char)(len >> 8);
    rec[4] = (unsigned char)len;
    memcpy(nonce, w.iv, sizeof nonce);
    for (i = 0; i < 8; i++)
        nonce[11 - i] ^= (unsigned char)(w.seq >> (8 * i));
    memcpy(rec + 5, data, n);
    rec[5 + n] = (unsigned char)type;
    cx = EVP_CIPHER_CTX_new();
    ok = cx != NULL
         && EVP_EncryptInit_ex(cx, EVP_aes_128_gcm(), NULL, w.key, nonce)
         && EVP_EncryptUpdate(cx, NULL, &k, rec, 5)
         && EVP_EncryptUpdate(cx, rec + 5, &k, rec + 5, (int)n + 1)
         && EVP_EncryptFinal_ex(cx, rec + 5 + n + 1, &k)
         && EVP_CIPHER_CTX_ctrl(cx, EVP_CTRL_GCM_GET_TAG, 16, rec + 5 + n + 1);
    EVP_CIPHER_CTX_free(cx);
    if (!ok)
        die("AES-GCM failed");
    w.seq++;
    w.used += 5 + len;
    return 0;
}

static int put_key_update(void)
{
    static const unsigned char msg[] = {24, 0, 0, 1, 0}; /* not requested */
    if (put_record(22, msg, sizeof msg) < 0)
        return -1;
    /* from the next record on, the next generation of keys */
    expand_label(w.secret, "traffic upd", w.secret, 32);
    derive_keys();
    return 0;
}

static int put_ticket(unsigned long long i)
{
    unsigned char msg[4 + 4 + 4 + 1 + 8 + 2 + 32 + 2], *b = msg + 4;
    size_t k;

    msg[0] = 4; /* new_session_ticket */
    msg[1] = 0;
    msg[2] = 0;
    msg[3] = (unsigned char)(sizeof msg - 4);
    memcpy(b, "\0\0\x1c\x20", 4);         /* lifetime: 7200 s */
    memcpy(b + 4, "\x01\x02\x03\x04", 4); /* age_add */
    b[8] = 8;                             /* a nonce: the ticket's number */
    for (k = 0; k < 8; k++)
        b[9 + k] = (unsigned char)(i >> (8 * k));
    b[17] = 0;
    b[18] = 32;
    memset(b + 19, 'T', 32);
    b[51] = 0; /* no extensions */
    b[52] = 0;
    return put_record(22, msg, sizeof msg);
}

static int put_data(const char *p, size_t n)
{
    while (n > 0) {
        size_t k = n < 16384 ? n : 16384;
        if (put_record(23, (const unsigned char *)p, k) < 0)
            return -1;
        p += k;
        n -= k;
    }
    return 0;
}

/* ---- the script ---------------------------------------------------------- */

/* "name" or "name:ARG": the argument of step s if it is `name`, else NULL
 * (an empty string when it has none) */
static const char *step_arg(const char *s, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(s, name, n) != 0)
        return NULL;
    if (s[n] == '\0')
        return "";
    return s[n] == ':' ? s + n + 1 : NULL;
}

static long count_of(const char *arg)
{
    char *end;
    long v;
    if (*arg == '\0')
        return -1; /* endless */
    v = strtol(arg, &end, 10);
    if (*end != '\0' || v < 0)
        die("bad count in the script");
    return v;
}

static int run_step(SSL *ssl, const char *s, double deadline)
{
    static char buf[16384];
    const char *arg;
    long i, n;
    int rc = 0;

    if ((arg = step_arg(s, "keyupdate")) != NULL
        || (arg = step_arg(s, "ticket")) != NULL
        || (arg = step_arg(s, "data")) != NULL) {
        n = count_of(arg);
        memset(buf, 'x', sizeof buf);
        for (i = 0; rc == 0 && (n < 0 || i < n); i++) {
            if (s[0] == 'k')
                rc = put_key_update();
            else if (s[0] == 't')
                rc = put_ticket((unsigned long long)i);
            else
                rc = put_data(buf, n < 0 || n - i >= (long)sizeof buf
                                       ? sizeof buf : (size_t)(n - i));
            if (s[0] == 'd')
                i += (long)sizeof buf - 1;
            if ((i & 1023) == 0 && now_seconds() > deadline)
                rc = -1;
        }
    } else if ((arg = step_arg(s, "send")) != NULL && *arg != '\0') {
        rc = put_data(arg, strlen(arg));
    } else if ((arg = step_arg(s, "sleep")) != NULL) {
        sleep_ms(count_of(arg));
    } else if (strcmp(s, "hold") == 0) {
        while (SSL_read(ssl, buf, sizeof buf) > 0)
            ;
    } else {
        die("unknown step in the script");
    }
    return rc == 0 ? flush_out() : rc;
}

static void serve(SSL_CTX *ctx, int fd, const char *script, int max_seconds)
{
    static const unsigned char close_notify[] = {1, 0};
    double deadline = now_seconds() + max_seconds;
    SSL *ssl = SSL_new(ctx);
    char *copy = strdup(script), *step, *save = NULL;
    BIO *sink = BIO_new(BIO_s_mem());

    if (ssl == NULL || copy == NULL || sink == NULL)
        die("out of memory");
    alarm((unsigned)max_seconds + 1); /* should the parent die first */
    w.fd = fd;
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) == 1 && w.have_secret) {
        /* whatever OpenSSL would still write (the keys are ours now) goes
         * nowhere */
        SSL_set0_wbio(ssl, sink);
        sink = NULL;
        for (step = strtok_r(copy, ";", &save); step != NULL;
             step = strtok_r(NULL, ";", &save))
            if (run_step(ssl, step, deadline) < 0)
                break;
        if (put_record(21, close_notify, sizeof close_notify) == 0)
            flush_out();
    }
    BIO_free(sink);
    SSL_free(ssl);
    free(copy);
    close(fd);
}

/* ---- the parent: listen, fork, stop ---------------------------------------- */

static void usage(void)
{
    fprintf(stderr, "usage: tls_peer --cert PEM --key PEM [--max-seconds S] "
                    "SCRIPT\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *cert = NULL, *key = NULL, *script = NULL;
    int max_seconds = 30, lfd, i, one = 1, n_kids = 0;
    pid_t kids[256];
    struct sockaddr_in sin;
    socklen_t sl = sizeof sin;
    struct sigaction sa;
    SSL_CTX *ctx;
    double deadline;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--cert") == 0 && i + 1 < argc)
            cert = argv[++i];
        else if (strcmp(argv[i], "--key") == 0 && i + 1 < argc)
            key = argv[++i];
        else if (strcmp(argv[i], "--max-seconds") == 0 && i + 1 < argc)
            max_seconds = atoi(argv[++i]);
        else if (script == NULL && strncmp(argv[i], "--", 2) != 0)
            script = argv[i];
        else
            usage();
    }
    if (cert == NULL || key == NULL || script == NULL || max_seconds <= 0)
        usage();

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop; /* no SA_RESTART: poll() must wake up */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    /* a test program: a client that goes away ends the step with EPIPE */
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);

    ctx = SSL_CTX_new(TLS_server_method());
    if (ctx == NULL || !SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION)
        || !SSL_CTX_set_ciphersuites(ctx, "TLS_AES_128_GCM_SHA256")
        || !SSL_CTX_set_num_tickets(ctx, 0)
        || SSL_CTX_use_certificate_chain_file(ctx, cert) != 1
        || SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1)
        die("cannot set up the TLS context");
    SSL_CTX_set_keylog_callback(ctx, on_keylog);

    lfd = socket(AF_INET, SOCK_STREAM, 0);
    if (lfd < 0)
        die("socket");
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(lfd, (struct sockaddr *)&sin, sizeof sin) < 0
        || listen(lfd, 16) < 0
        || getsockname(lfd, (struct sockaddr *)&sin, &sl) < 0)
        die("cannot listen on 127.0.0.1");
    printf("port %d\n", ntohs(sin.sin_port));
    fflush(stdout);

    deadline = now_seconds() + max_seconds;
    while (!stop_requested && now_seconds() < deadline) {
        struct pollfd p;
        pid_t pid;
        int cfd;

        for (i = 0; i < n_kids;) { /* reap the children that are done */
            if (waitpid(kids[i], NULL, WNOHANG) == kids[i])
                kids[i] = kids[--n_kids];
            else
                i++;
        }
        p.fd = lfd;
        p.events = POLLIN;
        p.revents = 0;
        if (poll(&p, 1, 200) <= 0)
            continue;
        cfd = accept(lfd, NULL, NULL);
        if (cfd < 0)
            continue;
        if (n_kids == (int)(sizeof kids / sizeof kids[0])) {
            close(cfd);
            continue;
        }
        pid = fork();
        if (pid == 0) {
            close(lfd);
            /* stdout is the test's pipe: do not hold it open past us */
            if (freopen("/dev/null", "w", stdout) == NULL)
                _exit(2);
            sa.sa_handler = SIG_DFL;
            sigaction(SIGTERM, &sa, NULL);
            sigaction(SIGINT, &sa, NULL);
            serve(ctx, cfd, script, max_seconds);
            _exit(0);
        }
        if (pid > 0)
            kids[n_kids++] = pid;
        close(cfd);
    }
    close(lfd);
    for (i = 0; i < n_kids; i++)
        kill(kids[i], SIGKILL);
    for (i = 0; i < n_kids; i++)
        while (waitpid(kids[i], NULL, 0) < 0 && errno == EINTR)
            ;
    SSL_CTX_free(ctx);
    return 0;
}
