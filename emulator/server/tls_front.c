/*
 * tls_front: see tls_front.h. One accept thread per front and one thread per
 * relayed connection. Every socket is non-blocking and every wait is a poll()
 * that also watches the front's wake pipe: emu_tls_front_stop writes a byte
 * that is never read, so the pipe stays readable and every thread sees it.
 */
#include "server/tls_front.h"

#include <arpa/inet.h>
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"

#define HANDSHAKE_MS 10000       /* a client gets this long to start and finish its handshake */
#define IDLE_MS (5 * 60 * 1000)  /* the plain listener closes idle connections long before this */
#define RELAY_CHUNK 16384        /* one TLS record's worth of plaintext */
#define TLS_HANDSHAKE_RECORD 0x16 /* content type of a TLS handshake record (RFC 8446 §5.1) */

typedef struct conn {
    struct emu_tls_front *front;
    pthread_t thread;
    bool used, done;          /* guarded by front->lock */
    int backend_local_port;   /* guarded by front->lock; 0 until connected */
    int fd;
    char peer[INET6_ADDRSTRLEN];
} conn;

struct emu_tls_front {
    char *name;
    SSL_CTX *ctx;
    int listen_fd;
    int port, backend_port;
    int wake[2];              /* [0] polled by every thread, [1] written once by stop */
    pthread_t acceptor;
    bool acceptor_started;
    pthread_mutex_t lock;
    pthread_cond_t slot_freed;
    bool stopping;
    conn conns[EMU_TLS_FRONT_MAX_CONNS];
};

/* ---- setup ------------------------------------------------------------------------ */

/* The reason of the oldest queued OpenSSL error, and clears the queue. */
static const char *ssl_reason(void)
{
    unsigned long e = ERR_get_error();
    const char *r = e ? ERR_reason_error_string(e) : NULL;
    ERR_clear_error();
    return r ? r : "unknown error";
}

static int load_identity(SSL_CTX *ctx, const char *cert, const char *key, mc_err *err)
{
    /* OpenSSL's "system lib" says less than errno does: check readability first. */
    const char *files[] = {cert, key};
    for (int i = 0; i < 2; i++)
        if (access(files[i], R_OK))
            return mc_err_set(err, MC_ERR_INVALID, "cannot read TLS %s %s: %s", i ? "key" : "certificate", files[i],
                              strerror(errno));
    if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1)
        return mc_err_set(err, MC_ERR_INVALID, "TLS certificate %s: %s", cert, ssl_reason());
    if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
        if (ERR_GET_REASON(ERR_peek_error()) == X509_R_KEY_VALUES_MISMATCH) {
            ERR_clear_error();
            return mc_err_set(err, MC_ERR_INVALID, "TLS key %s does not belong to certificate %s", key, cert);
        }
        return mc_err_set(err, MC_ERR_INVALID, "TLS key %s: %s", key, ssl_reason());
    }
    return 0;
}

static int listen_on(emu_tls_front *f, const char *host, int port, mc_err *err)
{
    char service[16];
    snprintf(service, sizeof service, "%d", port);
    struct addrinfo hints, *ai = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    int rc = getaddrinfo(host, service, &hints, &ai);
    if (rc)
        return mc_err_set(err, MC_ERR_NETWORK, "%s: cannot resolve listen address %s: %s", f->name, host,
                          gai_strerror(rc));
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 128)) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        freeaddrinfo(ai);
        return mc_err_set(err, MC_ERR_NETWORK, "%s: cannot listen on %s:%d: %s", f->name, host, port, strerror(e));
    }
    freeaddrinfo(ai);
    struct sockaddr_storage sa;
    socklen_t len = sizeof sa;
    getsockname(fd, (struct sockaddr *)&sa, &len);
    f->port = ntohs(sa.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&sa)->sin6_port
                                             : ((struct sockaddr_in *)&sa)->sin_port);
    f->listen_fd = fd;
    return 0;
}

/* ---- waiting ------------------------------------------------------------------------- */

/* Waits for events on fd and, when fd2 >= 0, on fd2. Returns >0 with their
 * revents filled, 0 on timeout, -1 when the front is stopping. */
static int wait_for(const conn *c, int fd, short events, short *revents, int fd2, short events2, short *revents2,
                    int timeout_ms)
{
    struct pollfd p[3] = {{c->front->wake[0], POLLIN, 0}, {fd, events, 0}, {fd2, events2, 0}};
    int n;
    do
        n = poll(p, fd2 >= 0 ? 3 : 2, timeout_ms);
    while (n < 0 && errno == EINTR);
    if (n < 0 || p[0].revents)
        return -1;
    if (revents)
        *revents = p[1].revents;
    if (revents2)
        *revents2 = p[2].revents;
    return n;
}

/* What the TLS side waits for after an SSL call returned n <= 0: POLLIN or
 * POLLOUT, or 0 when the connection is over (close_notify, EOF, an error). */
static short ssl_wants(SSL *ssl, int n)
{
    int e = SSL_get_error(ssl, n);
    return e == SSL_ERROR_WANT_READ ? POLLIN : e == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
}

/* ---- one connection ------------------------------------------------------------------- */

/* A client that speaks plain HTTP to the HTTPS port gets a plain answer
 * saying so, rather than a connection closed without a word. */
static void refuse_plain_http(conn *c)
{
    char sink[4096];
    while (recv(c->fd, sink, sizeof sink, 0) > 0)
        ;
    char resp[512];
    const char *body = "This port speaks HTTPS: use an https:// URL.\n";
    int n = snprintf(resp, sizeof resp,
                     "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n%s",
                     strlen(body), body);
    if (send(c->fd, resp, (size_t)n, MSG_NOSIGNAL) < 0)
        return;
    shutdown(c->fd, SHUT_WR);
    /* Read until the client closes, so closing does not reset the answer away. */
    while (wait_for(c, c->fd, POLLIN, NULL, -1, 0, NULL, 1000) > 0 && recv(c->fd, sink, sizeof sink, 0) > 0)
        ;
}

/* Completes the server side of the handshake. Returns 0, or -1 (logged). */
static int handshake(conn *c, SSL *ssl)
{
    for (;;) {
        ERR_clear_error();
        errno = 0;
        int r = SSL_accept(ssl);
        if (r == 1)
            return 0;
        int e = SSL_get_error(ssl, r);
        if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
            const char *why = e == SSL_ERROR_SSL ? ssl_reason()
                              : errno            ? strerror(errno)
                                                 : "the client closed the connection";
            MC_LOGW("%s: TLS handshake with %s failed: %s", c->front->name, c->peer, why);
            return -1;
        }
        int w = wait_for(c, c->fd, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, NULL, -1, 0, NULL, HANDSHAKE_MS);
        if (w <= 0) {
            if (w == 0)
                MC_LOGW("%s: TLS handshake with %s timed out", c->front->name, c->peer);
            return -1;
        }
    }
}

static int connect_backend(conn *c)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)c->front->backend_port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa)) {
        MC_LOGE("%s: cannot reach the plain listener on port %d: %s", c->front->name, c->front->backend_port,
                strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    socklen_t len = sizeof sa;
    getsockname(fd, (struct sockaddr *)&sa, &len);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    /* Recorded before the first byte is relayed, so the server always finds it. */
    pthread_mutex_lock(&c->front->lock);
    c->backend_local_port = ntohs(sa.sin_port);
    pthread_mutex_unlock(&c->front->lock);
    return fd;
}

/* One direction's pending bytes: data[off..len) still to be written. */
typedef struct {
    char data[RELAY_CHUNK];
    size_t off, len;
} chunk;

/* Relays until either side closes, an error, the idle limit or stop. */
static void relay(conn *c, SSL *ssl, int backend)
{
    chunk up = {.len = 0}, down = {.len = 0}; /* up: client -> backend; down: backend -> client */
    for (;;) {
        bool progress = false;
        short want_client = 0, want_backend = 0;
        if (up.off == up.len) {
            ERR_clear_error();
            int n = SSL_read(ssl, up.data, sizeof up.data);
            if (n > 0) {
                up.off = 0;
                up.len = (size_t)n;
                progress = true;
            } else {
                short w = ssl_wants(ssl, n);
                if (!w)
                    return; /* the client is gone */
                want_client |= w;
            }
        }
        if (up.off < up.len) {
            ssize_t n = send(backend, up.data + up.off, up.len - up.off, MSG_NOSIGNAL);
            if (n > 0) {
                up.off += (size_t)n;
                progress = true;
            } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                want_backend |= POLLOUT;
            } else {
                return;
            }
        }
        if (down.off == down.len) {
            ssize_t n = recv(backend, down.data, sizeof down.data, 0);
            if (n > 0) {
                down.off = 0;
                down.len = (size_t)n;
                progress = true;
            } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                want_backend |= POLLIN;
            } else {
                return; /* the plain listener closed: so does the client connection */
            }
        }
        if (down.off < down.len) {
            ERR_clear_error();
            int n = SSL_write(ssl, down.data + down.off, (int)(down.len - down.off));
            if (n > 0) {
                down.off += (size_t)n;
                progress = true;
            } else {
                short w = ssl_wants(ssl, n);
                if (!w)
                    return;
                want_client |= w;
            }
        }
        if (progress)
            continue;
        /* Nothing moved, so every step above is waiting on a descriptor. */
        assert(want_client || want_backend);
        short rc = 0, rb = 0;
        if (wait_for(c, c->fd, want_client, &rc, backend, want_backend, &rb, IDLE_MS) <= 0)
            return; /* stopping, or idle far beyond the plain listener's own timeouts */
        if ((rc | rb) & (POLLERR | POLLNVAL))
            return;
    }
}

static void serve_conn(conn *c)
{
    /* The first byte tells a TLS ClientHello from a plain HTTP request line. */
    if (wait_for(c, c->fd, POLLIN, NULL, -1, 0, NULL, HANDSHAKE_MS) <= 0)
        return;
    unsigned char first;
    if (recv(c->fd, &first, 1, MSG_PEEK) != 1)
        return;
    if (first != TLS_HANDSHAKE_RECORD) {
        MC_LOGW("%s: %s sent %s to the HTTPS port; refused", c->front->name, c->peer,
                isupper(first) ? "a plain HTTP request" : "something that is not TLS");
        if (isupper(first))
            refuse_plain_http(c);
        return;
    }
    SSL *ssl = SSL_new(c->front->ctx);
    if (!ssl) {
        MC_LOGE("%s: SSL_new: %s", c->front->name, ssl_reason());
        return;
    }
    SSL_set_fd(ssl, c->fd);
    int backend = -1;
    if (handshake(c, ssl) == 0 && (backend = connect_backend(c)) >= 0) {
        relay(c, ssl, backend);
        ERR_clear_error();
        SSL_shutdown(ssl); /* best effort close_notify; the socket is non-blocking */
    }
    ERR_clear_error();
    SSL_free(ssl);
    if (backend >= 0)
        close(backend);
}

static void *conn_main(void *arg)
{
    conn *c = arg;
    serve_conn(c);
    close(c->fd);
    emu_tls_front *f = c->front;
    pthread_mutex_lock(&f->lock);
    c->backend_local_port = 0;
    c->done = true;
    pthread_cond_signal(&f->slot_freed);
    pthread_mutex_unlock(&f->lock);
    return NULL;
}

/* ---- accepting ---------------------------------------------------------------------------- */

/* Joins finished connection threads (lock held; they no longer take it).
 * Returns a free slot, or NULL when all are busy. */
static conn *reap_locked(emu_tls_front *f)
{
    conn *free_slot = NULL;
    for (int i = 0; i < EMU_TLS_FRONT_MAX_CONNS; i++) {
        conn *c = &f->conns[i];
        if (c->used && c->done) {
            pthread_join(c->thread, NULL);
            c->used = c->done = false;
        }
        if (!c->used && !free_slot)
            free_slot = c;
    }
    return free_slot;
}

static void peer_name(const struct sockaddr_storage *sa, char *out, size_t cap)
{
    const void *a = sa->ss_family == AF_INET6 ? (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr
                                              : (const void *)&((const struct sockaddr_in *)sa)->sin_addr;
    if (!inet_ntop(sa->ss_family, a, out, (socklen_t)cap))
        snprintf(out, cap, "?");
}

static void *accept_main(void *arg)
{
    emu_tls_front *f = arg;
    for (;;) {
        pthread_mutex_lock(&f->lock);
        conn *slot;
        while (!(slot = reap_locked(f)) && !f->stopping)
            pthread_cond_wait(&f->slot_freed, &f->lock);
        bool stopping = f->stopping;
        pthread_mutex_unlock(&f->lock);
        if (stopping)
            return NULL;
        struct pollfd p[2] = {{f->wake[0], POLLIN, 0}, {f->listen_fd, POLLIN, 0}};
        if (poll(p, 2, -1) < 0 && errno != EINTR)
            return NULL;
        if (p[0].revents)
            return NULL;
        if (!p[1].revents)
            continue;
        struct sockaddr_storage sa;
        socklen_t len = sizeof sa;
        int fd = accept4(f->listen_fd, (struct sockaddr *)&sa, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ECONNABORTED) {
                MC_LOGW("%s: accept: %s", f->name, strerror(errno));
                poll(p, 1, 100); /* e.g. out of descriptors: do not spin */
            }
            continue;
        }
        pthread_mutex_lock(&f->lock);
        memset(slot, 0, sizeof *slot);
        slot->front = f;
        slot->fd = fd;
        peer_name(&sa, slot->peer, sizeof slot->peer);
        slot->used = true;
        pthread_mutex_unlock(&f->lock);
        int rc = pthread_create(&slot->thread, NULL, conn_main, slot);
        if (rc) {
            MC_LOGE("%s: cannot start a connection thread: %s", f->name, strerror(rc));
            close(fd);
            pthread_mutex_lock(&f->lock);
            slot->used = false;
            pthread_mutex_unlock(&f->lock);
        }
    }
}

/* ---- public ------------------------------------------------------------------------------- */

int emu_tls_front_start(emu_tls_front **out, const emu_tls_front_config *cfg, mc_err *err)
{
    *out = NULL;
    emu_tls_front *f = mc_calloc(1, sizeof *f);
    f->name = mc_strdup(cfg->name);
    f->listen_fd = f->wake[0] = f->wake[1] = -1;
    f->backend_port = cfg->backend_port;
    pthread_mutex_init(&f->lock, NULL);
    pthread_cond_init(&f->slot_freed, NULL);
    f->ctx = SSL_CTX_new(TLS_server_method());
    if (!f->ctx) {
        mc_err_set(err, MC_ERR_INTERNAL, "SSL_CTX_new: %s", ssl_reason());
        goto fail;
    }
    /* TLS 1.2 is the oldest version the live endpoints still accept. */
    SSL_CTX_set_min_proto_version(f->ctx, TLS1_2_VERSION);
    /* SSL_write may take part of a chunk; the rest is retried from a moved pointer. */
    SSL_CTX_set_mode(f->ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (load_identity(f->ctx, cfg->cert_file, cfg->key_file, err) ||
        listen_on(f, cfg->host, cfg->port, err))
        goto fail;
    if (pipe2(f->wake, O_CLOEXEC)) {
        mc_err_set(err, MC_ERR_IO, "pipe: %s", strerror(errno));
        goto fail;
    }
    /* Threads inherit the signal mask: with SIGPIPE blocked, writing to a
     * closed socket inside OpenSSL fails with EPIPE instead of killing us. */
    sigset_t pipe_only, old;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
    int rc = pthread_create(&f->acceptor, NULL, accept_main, f);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc) {
        mc_err_set(err, MC_ERR_INTERNAL, "%s: cannot start the TLS accept thread: %s", cfg->name, strerror(rc));
        goto fail;
    }
    f->acceptor_started = true;
    *out = f;
    return 0;
fail:
    emu_tls_front_stop(f);
    return -1;
}

int emu_tls_front_port(const emu_tls_front *f)
{
    return f->port;
}

bool emu_tls_front_peer(emu_tls_front *f, int backend_local_port, char *addr, size_t cap)
{
    bool found = false;
    pthread_mutex_lock(&f->lock);
    for (int i = 0; i < EMU_TLS_FRONT_MAX_CONNS && !found; i++) {
        const conn *c = &f->conns[i];
        if (c->used && !c->done && c->backend_local_port == backend_local_port && backend_local_port > 0) {
            snprintf(addr, cap, "%s", c->peer);
            found = true;
        }
    }
    pthread_mutex_unlock(&f->lock);
    return found;
}

void emu_tls_front_stop(emu_tls_front *f)
{
    if (!f)
        return;
    pthread_mutex_lock(&f->lock);
    f->stopping = true;
    pthread_cond_broadcast(&f->slot_freed);
    pthread_mutex_unlock(&f->lock);
    if (f->wake[1] >= 0 && write(f->wake[1], "x", 1) != 1)
        MC_LOGE("%s: cannot wake the TLS threads: %s", f->name, strerror(errno));
    if (f->acceptor_started)
        pthread_join(f->acceptor, NULL);
    /* The acceptor is gone, so the slots change only by threads finishing. */
    for (int i = 0; i < EMU_TLS_FRONT_MAX_CONNS; i++)
        if (f->conns[i].used)
            pthread_join(f->conns[i].thread, NULL);
    if (f->listen_fd >= 0)
        close(f->listen_fd);
    for (int i = 0; i < 2; i++)
        if (f->wake[i] >= 0)
            close(f->wake[i]);
    SSL_CTX_free(f->ctx);
    pthread_cond_destroy(&f->slot_freed);
    pthread_mutex_destroy(&f->lock);
    free(f->name);
    free(f);
}
