/* mc_err: see mc_err.h. */
#include "mc_err.h"

#include <stdio.h>
#include <string.h>

void mc_err_clear(mc_err *err)
{
    if (!err)
        return;
    err->code = MC_OK;
    err->http_status = 0;
    err->remote_code[0] = '\0';
    err->msg[0] = '\0';
}

int mc_err_vset(mc_err *err, mc_err_code code, const char *fmt, va_list ap)
{
    if (!err)
        return -1;
    err->code = code;
    err->http_status = 0;
    err->remote_code[0] = '\0';
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    return -1;
}

int mc_err_set(mc_err *err, mc_err_code code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mc_err_vset(err, code, fmt, ap);
    va_end(ap);
    return -1;
}

int mc_err_set_remote(mc_err *err, int http_status, const char *remote_code, const char *fmt, ...)
{
    if (!err)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    mc_err_vset(err, MC_ERR_REMOTE, fmt, ap);
    va_end(ap);
    err->http_status = http_status;
    snprintf(err->remote_code, sizeof err->remote_code, "%s", remote_code ? remote_code : "");
    return -1;
}

int mc_err_prefix(mc_err *err, const char *fmt, ...)
{
    if (!err)
        return -1;
    char ctx[512];
    char old[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx, sizeof ctx, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    size_t n = strlen(ctx);
    if (n > sizeof err->msg - 3)
        n = sizeof err->msg - 3;
    memcpy(err->msg, ctx, n);
    memcpy(err->msg + n, ": ", 2);
    size_t room = sizeof err->msg - n - 3;
    size_t ol = strnlen(old, room);
    memcpy(err->msg + n + 2, old, ol);
    err->msg[n + 2 + ol] = '\0';
    return -1;
}

const char *mc_err_code_name(mc_err_code code)
{
    switch (code) {
    case MC_OK: return "ok";
    case MC_ERR_INVALID: return "invalid input";
    case MC_ERR_NOT_FOUND: return "not found";
    case MC_ERR_EXISTS: return "already exists";
    case MC_ERR_CONFLICT: return "conflict";
    case MC_ERR_AUTH: return "authentication failed";
    case MC_ERR_DENIED: return "access denied";
    case MC_ERR_IO: return "i/o error";
    case MC_ERR_NETWORK: return "network error";
    case MC_ERR_PROTOCOL: return "protocol error";
    case MC_ERR_UNSUPPORTED: return "not supported";
    case MC_ERR_NOMEM: return "out of memory";
    case MC_ERR_INTERNAL: return "internal error";
    case MC_ERR_REMOTE: return "remote error";
    }
    return "unknown";
}
