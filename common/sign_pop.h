/*
 * sign_pop: Alibaba Cloud POP (OpenAPI) request signatures
 * (reference/ram-sts.md §5): V3 `ACS3-HMAC-SHA256` (§5.2), what the Tea
 * SDKs (@alicloud/ram20150501, sts20150401, ...) send by default, and the
 * legacy RPC signature `HMAC-SHA1` / SignatureVersion 1.0 (§5.3) of pop-core
 * and of the SDKs with signatureAlgorithm "v2". Pure functions: the
 * emulator verifies with them, a client could sign with them.
 *
 * Encoding everywhere is RFC 3986 strict (only A-Z a-z 0-9 - . _ ~ literal,
 * upper-case hex), which is both encodeURIComponent with !'()* escaped (V3)
 * and the RPC percentEncode (§5.3).
 */
#ifndef MC_SIGN_POP_H
#define MC_SIGN_POP_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "http_types.h"
#include "strutil.h"

#define SIGN_POP_V3_ALGORITHM "ACS3-HMAC-SHA256"

typedef struct {
    const char *method;
    const char *path;          /* canonical URI as sent; "" is taken as "/" */
    const mc_query *query;     /* decoded query parameters; may be NULL */
    const mc_header *headers;  /* as sent */
    size_t nheaders;
    const char *payload_hash;  /* hex SHA-256 of the body (x-acs-content-sha256) */
} sign_pop_request;

/* Canonical request (§5.2). signed_headers: the lower-case, ';'-separated
 * list to sign (a verifier passes the client's SignedHeaders); NULL signs
 * every host, content-type and x-acs-* header of the request. The list
 * actually used (sorted) is appended to signed_out when it is not NULL. */
void sign_pop_v3_canonical_request(mc_buf *out, const sign_pop_request *r, const char *signed_headers,
                                   mc_buf *signed_out);
/* "ACS3-HMAC-SHA256\n" + hex(SHA-256(canonical_request)). */
void sign_pop_v3_string_to_sign(mc_buf *out, const char *canonical_request);
/* hex(HMAC-SHA256(secret, string_to_sign)). */
void sign_pop_v3_signature(char out[65], const char *secret, const char *string_to_sign);
/* The whole Authorization value:
 * `ACS3-HMAC-SHA256 Credential=<ak>,SignedHeaders=<h;...>,Signature=<hex>`. */
void sign_pop_v3_authorization(mc_buf *out, const sign_pop_request *r, const char *signed_headers,
                               const char *access_key_id, const char *secret);

/* Splits a V3 Authorization value into its fields (caller frees each).
 * Returns 0, or -1 when the scheme is not ACS3-HMAC-SHA256 or a field is missing. */
int sign_pop_v3_parse_authorization(const char *authorization, char **access_key_id, char **signed_headers,
                                    char **signature);

/* Legacy RPC (§5.3): METHOD&%2F&encode(sorted k=v of every parameter but
 * Signature). params: the query and form-body parameters together. */
void sign_pop_rpc_string_to_sign(mc_buf *out, const char *method, const mc_query *params);
/* Base64(HMAC-SHA1(secret + "&", string_to_sign)). */
void sign_pop_rpc_signature(mc_buf *out, const char *secret, const char *string_to_sign);

#endif
