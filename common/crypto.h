/*
 * crypto: hashes, HMACs, encodings and checksums used by the signing code and
 * by the object store (OpenSSL underneath; CRC-64/ECMA as OSS computes it).
 * Pure functions over byte ranges; output buffers are caller-provided and
 * sized by the constants below.
 */
#ifndef MC_CRYPTO_H
#define MC_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define MC_MD5_LEN 16
#define MC_SHA1_LEN 20
#define MC_SHA256_LEN 32

void mc_md5(uint8_t out[MC_MD5_LEN], const void *data, size_t n);
void mc_sha1(uint8_t out[MC_SHA1_LEN], const void *data, size_t n);
void mc_sha256(uint8_t out[MC_SHA256_LEN], const void *data, size_t n);
void mc_hmac_sha1(uint8_t out[MC_SHA1_LEN], const void *key, size_t klen, const void *data, size_t n);
void mc_hmac_sha256(uint8_t out[MC_SHA256_LEN], const void *key, size_t klen, const void *data, size_t n);

/* Incremental MD5 for streaming uploads. */
typedef struct mc_md5_ctx mc_md5_ctx;
mc_md5_ctx *mc_md5_new(void);
void mc_md5_update(mc_md5_ctx *c, const void *data, size_t n);
void mc_md5_final(mc_md5_ctx *c, uint8_t out[MC_MD5_LEN]); /* also frees c */

/* Lower-case hex into out (2n+1 bytes). */
void mc_hex_lower(char *out, const uint8_t *in, size_t n);
void mc_hex_upper(char *out, const uint8_t *in, size_t n);
/* Decodes hex; returns bytes written or -1 on a bad digit / odd length / overflow. */
long mc_hex_decode(uint8_t *out, size_t cap, const char *hex, size_t n);

/* Standard base64 with padding. */
void mc_base64_encode(mc_buf *out, const void *data, size_t n);
/* Strict decode; returns 0 or -1 on invalid input. */
int mc_base64_decode(mc_buf *out, const char *s, size_t n);

/* CRC-64/ECMA-182 as OSS reports in x-oss-hash-crc64ecma (reflected, init
 * and xorout all ones). Pass the previous value to continue (0 to start). */
uint64_t mc_crc64_ecma(uint64_t crc, const void *data, size_t n);
/* crc of A||B from crc(A), crc(B) and len(B) (zlib's combine construction). */
uint64_t mc_crc64_ecma_combine(uint64_t crc_a, uint64_t crc_b, uint64_t len_b);

/* Random bytes from the OS / OpenSSL. */
void mc_random_bytes(void *out, size_t n);

#endif
