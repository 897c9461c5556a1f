/*
 * sign_dlf: DLF request signatures (reference/paimon-rest.md §3.3-3.4):
 * the default `DLF4-HMAC-SHA256` signer of the Paimon REST client, and the
 * OpenAPI (ROA, HMAC-SHA1) signer of public endpoints. Shared by the
 * engine's catalog client (to sign) and the emulator (to verify).
 */
#ifndef MC_SIGN_DLF_H
#define MC_SIGN_DLF_H

#include "buf.h"
#include "http_types.h"
#include "strutil.h"

typedef struct {
    const char *method;
    const char *path;         /* as sent: percent-encoded, no query */
    const mc_query *query;    /* decoded parameters; may be NULL */
    const mc_header *headers; /* as sent */
    size_t nheaders;
} sign_dlf_request;

/* Java URLEncoder form: alnum and .-*_ literal, space as '+', else %XX. */
void sign_dlf_url_encode(mc_buf *out, const char *s);

/* Default signer. */
void sign_dlf_canonical_request(mc_buf *out, const sign_dlf_request *r);
void sign_dlf_string_to_sign(mc_buf *out, const char *dlf_date, const char *region, const char *canonical_request);
void sign_dlf_signature(char out[65], const char *secret, const char *date8, const char *region,
                        const char *string_to_sign);
/* The whole Authorization header value for the request (its x-dlf-date
 * header supplies the time). */
void sign_dlf_authorization(mc_buf *out, const sign_dlf_request *r, const char *access_key_id,
                            const char *secret, const char *region);

/* OpenAPI signer: string to sign and `acs <ak>:<sig>`. */
void sign_dlf_openapi_string_to_sign(mc_buf *out, const sign_dlf_request *r);
void sign_dlf_openapi_authorization(mc_buf *out, const sign_dlf_request *r, const char *access_key_id,
                                    const char *secret);

#endif
