/*
 * pop_auth: the server side of Alibaba Cloud POP authentication
 * (reference/ram-sts.md §5), shared by every endpoint that speaks POP: the
 * RAM/STS endpoint and DLF's permission OpenAPI. It checks the request time,
 * the AccessKey through the one credential lookup (server/cred.h) with its
 * STS token, and the V3 ACS3-HMAC-SHA256 signature. A refusal comes back as
 * a POP fault (HTTP status, error code, message, §5.4 table) for the caller
 * to render in its envelope; replay protection (nonces) stays with the caller.
 */
#ifndef MC_EMU_POP_AUTH_H
#define MC_EMU_POP_AUTH_H

#include "buf.h"
#include "server/cred.h"
#include "server/service.h"

typedef struct {
    int status;        /* HTTP status */
    const char *code;  /* POP error code, e.g. "SignatureDoesNotMatch" */
    char message[256];
} emu_pop_fault;

/* The request time (ISO 8601 UTC) within the accepted skew. 0, or -1 with fault. */
int emu_pop_check_time(const char *stamp, emu_pop_fault *fault);

/* Looks up access_key_id into *cred and checks that it is active and, for
 * STS credentials, that token matches and has not expired. 0, or -1 with
 * fault (internal errors are logged and given as 500 InternalError). */
int emu_pop_load_cred(emu_state *s, const char *access_key_id, const char *token, emu_cred *cred,
                      emu_pop_fault *fault);

/* A whole V3 request (§5.2): Authorization `authz`, the x-acs-date time,
 * the AccessKey (token from x-acs-security-token) and the signature over
 * method, path, query, the signed headers and the SHA-256 of body. Every
 * host and x-acs-* header sent must be signed. Fills *cred on success. */
int emu_pop_v3_authenticate(emu_state *s, emu_request *r, const char *authz, const mc_buf *body, emu_cred *cred,
                            emu_pop_fault *fault);

/* ROA answers (§5.4): a JSON body (takes j), named by x-acs-request-id as
 * well; an error as the envelope {RequestId, HostId, Code, Message}. */
struct json_t;
void emu_pop_send_json(emu_request *r, int status, struct json_t *j);
void emu_pop_send_error(emu_request *r, const char *host_id, int status, const char *code, const char *message);

#endif
