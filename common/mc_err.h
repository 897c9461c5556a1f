/*
 * mc_err: the one error type of mcdlf (STYLE.md, "one error type").
 *
 * Functions that can fail return int (0 on success, -1 on failure) and fill a
 * caller-owned mc_err. The code says what kind of failure it was; the message
 * is human text, already specific ("NoSuchKey: key 'a/b' ..."). Each protocol
 * boundary turns an mc_err into its own format in exactly one function.
 * An mc_err needs no cleanup; it is a plain value.
 */
#ifndef MC_ERR_H
#define MC_ERR_H

#include <stdarg.h>

typedef enum {
    MC_OK = 0,
    MC_ERR_INVALID,      /* bad input from a caller or a peer */
    MC_ERR_NOT_FOUND,
    MC_ERR_EXISTS,
    MC_ERR_CONFLICT,     /* optimistic concurrency lost, precondition failed */
    MC_ERR_AUTH,         /* authentication failed (who are you?) */
    MC_ERR_DENIED,       /* authorisation failed (you may not) */
    MC_ERR_IO,           /* local file system */
    MC_ERR_NETWORK,      /* connection, DNS, TLS, timeout */
    MC_ERR_PROTOCOL,     /* peer spoke something we cannot understand */
    MC_ERR_UNSUPPORTED,  /* a valid request we do not implement, said plainly */
    MC_ERR_NOMEM,
    MC_ERR_INTERNAL,
    MC_ERR_REMOTE        /* a remote service answered with an error; see http_status/remote_code */
} mc_err_code;

typedef struct {
    mc_err_code code;
    int http_status;        /* for MC_ERR_REMOTE and server-side errors: the HTTP status */
    char remote_code[64];   /* the service's own error code (NoSuchKey, ...), may be empty */
    char msg[1024];
} mc_err;

/* Clears err to MC_OK (err may be NULL). */
void mc_err_clear(mc_err *err);

/* Sets code and a printf-formatted message; returns -1 so callers can
 * `return mc_err_set(err, ...)`. err may be NULL. */
int mc_err_set(mc_err *err, mc_err_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int mc_err_vset(mc_err *err, mc_err_code code, const char *fmt, va_list ap);

/* Like mc_err_set, with the remote HTTP status and service code recorded. */
int mc_err_set_remote(mc_err *err, int http_status, const char *remote_code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Prepends context: "context: previous message". Keeps the code. Returns -1. */
int mc_err_prefix(mc_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Name of a code, e.g. "not found". */
const char *mc_err_code_name(mc_err_code code);

#endif
