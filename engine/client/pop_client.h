/*
 * pop_client: calls of Alibaba Cloud POP APIs as the Tea SDKs make them
 * (reference/ram-sts.md §5): RPC (RAM, STS, ResourceManager) as `POST /`
 * with the parameters in the query string and an empty body, ROA (DLF's
 * permission API) as method + path with a JSON body; both signed with
 * ACS3-HMAC-SHA256 (common/sign_pop), a fresh x-acs-signature-nonce each
 * call; STS credentials add x-acs-accesskey-id and x-acs-security-token
 * (§4). Nothing in it is specific to the emulator.
 */
#ifndef MC_POP_CLIENT_H
#define MC_POP_CLIENT_H

#include <jansson.h>

#include "mc_err.h"

typedef struct {
    const char *endpoint;          /* http://127.0.0.1:PORT or https://ram.aliyuncs.com */
    const char *access_key_id;
    const char *access_key_secret;
    const char *security_token;    /* NULL unless STS */
    const char *ca_file;           /* NULL: system CAs */
} pop_client_config;

/* One call of action in API version; params: name, value, ..., NULL (may be
 * NULL). 0 with *out the JSON answer (caller decrefs); -1 with MC_ERR_REMOTE
 * for an error answer (http_status, remote_code = its Code, msg
 * "<Code>: <Message>") or with the transport's error. */
int pop_client_call(const pop_client_config *cfg, const char *version, const char *action,
                    const char *const *params, json_t **out, mc_err *err);

/* One ROA call (§5.2 signs ROA the same way): method on path (as sent,
 * already encoded) with query (name, value, ..., NULL; may be NULL) and a
 * JSON body (NULL: none). Answers as pop_client_call. */
int pop_client_roa(const pop_client_config *cfg, const char *version, const char *action, const char *method,
                   const char *path, const char *const *query, const json_t *body, json_t **out, mc_err *err);

#endif
