/*
 * sign_oss: OSS request signatures V1 (`OSS ak:sig`, HMAC-SHA1) and V4
 * (`OSS4-HMAC-SHA256`), for headers and presigned URLs
 * (reference/oss-api.md §2-3). One canonicalisation for both sides: the
 * client signs with it, the emulator recomputes with it from the request it
 * received and compares.
 *
 * A request is described neutrally: method, bucket and *decoded* key,
 * decoded query parameters in received order, and headers as sent.
 */
#ifndef MC_SIGN_OSS_H
#define MC_SIGN_OSS_H

#include <stdbool.h>

#include "buf.h"
#include "http_types.h"
#include "strutil.h"

typedef struct {
    const char *method;
    const char *bucket;        /* NULL or "" for service-level requests */
    const char *key;           /* decoded; NULL or "" for bucket-level requests */
    const mc_query *query;     /* decoded parameters; may be NULL */
    const mc_header *headers;
    size_t nheaders;
} sign_oss_request;

/* V1 (§2). date is the Date line: the Date header, else x-oss-date; for a
 * presigned URL the Expires value. */
void sign_oss_v1_string_to_sign(mc_buf *out, const sign_oss_request *r, const char *date);
/* Base64(HMAC-SHA1(secret, string_to_sign)). */
void sign_oss_v1_signature(mc_buf *out, const char *secret, const char *string_to_sign);
/* Whether a query parameter is a signed V1 sub-resource. */
bool sign_oss_v1_is_subresource(const char *name);

/* V4 (§3). additional: the AdditionalHeaders list ("a;b", lower-case or not)
 * or NULL. presign: drop x-oss-signature from the query. */
void sign_oss_v4_canonical_request(mc_buf *out, const sign_oss_request *r, const char *additional, bool presign);
/* The normalised AdditionalHeaders value: lower-case, sorted, unique names
 * present in the request that are not signed by default (§3 step 5). */
void sign_oss_v4_additional_headers(mc_buf *out, const sign_oss_request *r, const char *additional);
/* datetime yyyymmddTHHMMSSZ; scope = <date8>/<region>/<product>/aliyun_v4_request. */
void sign_oss_v4_string_to_sign(mc_buf *out, const char *datetime, const char *region, const char *product,
                                const char *canonical_request);
/* Lower-case hex signature (65 bytes with NUL). date8 = yyyymmdd. */
void sign_oss_v4_signature(char out[65], const char *secret, const char *date8, const char *region,
                           const char *product, const char *string_to_sign);

/* Constant-time comparison of two NUL-terminated strings. */
bool sign_equal(const char *a, const char *b);

/* Parsing what a client sent (the verifier's side). */
/* The trimmed value of field `name` in a "Scheme k=v,k=v" Authorization
 * value (OSS4-HMAC-SHA256, DLF4-HMAC-SHA256); NULL when absent. Caller frees. */
char *sign_auth_field(const char *authorization, const char *name);
/* Splits "OSS <ak>:<signature>" (§2; the signature is what follows the last
 * ':'). *ak is allocated (caller frees), *signature points into
 * authorization. -1 when the value has not that form. */
int sign_oss_v1_parse_authorization(const char *authorization, char **ak, const char **signature);
/* Splits a V4 credential "<ak>/<yyyymmdd>/<region>/oss/aliyun_v4_request"
 * (§3) into ak (< akcap), date8 and region (< rcap). -1 when it has not
 * that form or a part does not fit. */
int sign_oss_v4_parse_credential(const char *credential, char *ak, size_t akcap, char date8[9], char *region,
                                 size_t rcap);

#endif
