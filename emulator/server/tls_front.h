/*
 * tls_front: an HTTPS listener in front of one plain HTTP listener.
 *
 * `mcdlf serve --tls-cert --tls-key` gives every service an HTTPS endpoint
 * without CivetWeb's own TLS (the system's CivetWeb 1.15 cannot use
 * OpenSSL 3). A front accepts TCP connections on the service's public
 * address, completes a TLS 1.2+ handshake with OpenSSL, connects to the plain
 * listener on 127.0.0.1 and relays the decrypted bytes both ways unchanged,
 * so every request header (Host included) arrives as the client sent it.
 *
 * The client's address cannot travel in the bytes, so the front remembers,
 * for each relayed connection, the local port of its connection to the plain
 * listener: the server looks a request's remote port up with
 * emu_tls_front_peer and learns the real client address and that the request
 * came over TLS.
 *
 * Invariants: at most EMU_TLS_FRONT_MAX_CONNS connections are relayed at
 * once (further clients wait in the listen backlog); a failed handshake or a
 * plain-HTTP client is logged and closes that connection only;
 * emu_tls_front_stop closes the listener and every relayed connection and
 * joins every thread before it returns.
 */
#ifndef MC_EMU_TLS_FRONT_H
#define MC_EMU_TLS_FRONT_H

#include <stdbool.h>
#include <stddef.h>

#include "mc_err.h"

#define EMU_TLS_FRONT_MAX_CONNS 64

typedef struct emu_tls_front emu_tls_front;

typedef struct {
    const char *name;       /* service name, for log lines ("oss") */
    const char *cert_file;  /* PEM certificate chain, the server's own certificate first */
    const char *key_file;   /* PEM private key of that certificate */
    const char *host;       /* listen address */
    int port;               /* 0 = ephemeral */
    int backend_port;       /* the plain HTTP listener on 127.0.0.1 */
} emu_tls_front_config;

/* Loads the certificate and key (MC_ERR_INVALID when they are unreadable or
 * do not match) and starts listening (MC_ERR_NETWORK). */
int emu_tls_front_start(emu_tls_front **out, const emu_tls_front_config *cfg, mc_err *err);
/* The port the front listens on. */
int emu_tls_front_port(const emu_tls_front *f);
/* When a connection relayed by f reaches the plain listener from local port
 * backend_local_port, copies its client's address into addr and returns true. */
bool emu_tls_front_peer(emu_tls_front *f, int backend_local_port, char *addr, size_t cap);
/* Stops listening, closes every relayed connection, frees f. NULL is a no-op. */
void emu_tls_front_stop(emu_tls_front *f);

#endif
