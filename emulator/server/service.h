/*
 * service: the contract between the emulator's HTTP server and each service
 * module (oss, dlf, ram, control). The server owns listeners, threads,
 * request ids and body limits; a service owns routing and semantics inside
 * its own endpoint, and sees requests only through emu_request, so no
 * CivetWeb type leaks into service code.
 *
 * Invariants: every response a service sends carries the service's request-id
 * header (added by the server); a handler must send exactly one response; a
 * handler that returns without responding gets a 500 in the service's format
 * from the server (a bug, logged).
 */
#ifndef MC_EMU_SERVICE_H
#define MC_EMU_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "buf.h"
#include "mc_err.h"
#include "state/state.h"

struct json_t;

typedef struct emu_request emu_request;

/* What every service gets at open: shared, read-only after start. */
typedef struct emu_env {
    const char *state_dir;
    const char *region;
    const char *host;          /* listen address */
    const char *account_id;    /* the account owner's uid */
    emu_state *state;          /* the one SQLite state store */
    size_t max_body_bytes;
    /* Filled in once all listeners are up: other services' endpoints. */
    const char *(*endpoint)(const struct emu_env *env, const char *service);
    /* Records an authorisation decision for `mcdlf why` (a no-op unless the
     * emulator is tracing). layer: "DLF" (data permission) or "RAM". */
    void (*record)(const struct emu_env *env, const char *layer, const char *principal, const char *action,
                   const char *resource, bool allowed, const char *reason);
    void *emulator;            /* opaque back-pointer for endpoint() and record() */
} emu_env;

typedef struct emu_service_def {
    const char *name;               /* "oss" */
    const char *request_id_header;  /* "x-oss-request-id" */
    int (*open)(void **ctx, const emu_env *env, mc_err *err);
    void (*handle)(void *ctx, emu_request *req);
    /* Renders an error in the service's protocol (used by the server for
     * body-too-large, internal errors). */
    void (*send_error)(void *ctx, emu_request *req, int status, const char *code, const char *message);
    void (*close)(void *ctx);
    /* Optional: adds the service's own keys to endpoints.json (e.g. "catalog"). */
    void (*describe)(void *ctx, struct json_t *root);
} emu_service_def;

/* Starts the emulator with an explicit service list (tests); see emulator.h. */
struct emulator;
struct emulator_options_s;
int emulator_start_services(struct emulator **out, const char *state_dir, const struct emulator_options_s *opts,
                            const emu_service_def *const *defs, mc_err *err);

/* Request accessors. Strings are valid for the duration of the handler. */
const char *emu_req_method(const emu_request *r);
const char *emu_req_raw_path(const emu_request *r);   /* as sent, still percent-encoded */
const char *emu_req_query(const emu_request *r);      /* raw query string, "" when none */
const char *emu_req_header(const emu_request *r, const char *name); /* case-insensitive, NULL if absent */
size_t emu_req_header_count(const emu_request *r);
void emu_req_header_at(const emu_request *r, size_t i, const char **name, const char **value);
long long emu_req_content_length(const emu_request *r); /* -1 when not given */
const char *emu_req_id(const emu_request *r);
const char *emu_req_remote_addr(const emu_request *r); /* the client's, also behind the TLS front */
bool emu_req_secure(const emu_request *r);             /* true when the request came over HTTPS */
/* Reads the whole body (bounded by the server's max_body_bytes).
 * Returns 0, or -1 with err (MC_ERR_INVALID "body too large", MC_ERR_IO). */
int emu_req_body(emu_request *r, mc_buf *out, mc_err *err);
/* Streaming read: returns bytes read, 0 at end, -1 on error. */
ssize_t emu_req_read(emu_request *r, void *buf, size_t n);

/* Responses: add headers first, then send once. */
void emu_resp_header(emu_request *r, const char *name, const char *value);
void emu_resp_send(emu_request *r, int status, const char *content_type, const void *body, size_t n);
/* Streaming response with a known length: begin, then write exactly len bytes. */
void emu_resp_begin(emu_request *r, int status, const char *content_type, long long len);
int emu_resp_write(emu_request *r, const void *data, size_t n);
bool emu_resp_sent(const emu_request *r);

#endif
