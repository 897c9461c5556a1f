/* crypto: see crypto.h. */
#include "crypto.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static void digest(const EVP_MD *md, uint8_t *out, const void *data, size_t n)
{
    unsigned int len = 0;
    EVP_Digest(data, n, out, &len, md, NULL);
}

void mc_md5(uint8_t out[MC_MD5_LEN], const void *data, size_t n) { digest(EVP_md5(), out, data, n); }
void mc_sha1(uint8_t out[MC_SHA1_LEN], const void *data, size_t n) { digest(EVP_sha1(), out, data, n); }
void mc_sha256(uint8_t out[MC_SHA256_LEN], const void *data, size_t n) { digest(EVP_sha256(), out, data, n); }

void mc_hmac_sha1(uint8_t out[MC_SHA1_LEN], const void *key, size_t klen, const void *data, size_t n)
{
    unsigned int len = 0;
    HMAC(EVP_sha1(), key, (int)klen, data, n, out, &len);
}

void mc_hmac_sha256(uint8_t out[MC_SHA256_LEN], const void *key, size_t klen, const void *data, size_t n)
{
    unsigned int len = 0;
    HMAC(EVP_sha256(), key, (int)klen, data, n, out, &len);
}

struct mc_md5_ctx {
    EVP_MD_CTX *ctx;
};

mc_md5_ctx *mc_md5_new(void)
{
    mc_md5_ctx *c = mc_malloc(sizeof *c);
    c->ctx = EVP_MD_CTX_new();
    if (!c->ctx)
        abort();
    EVP_DigestInit_ex(c->ctx, EVP_md5(), NULL);
    return c;
}

void mc_md5_update(mc_md5_ctx *c, const void *data, size_t n) { EVP_DigestUpdate(c->ctx, data, n); }

void mc_md5_final(mc_md5_ctx *c, uint8_t out[MC_MD5_LEN])
{
    unsigned int len = 0;
    EVP_DigestFinal_ex(c->ctx, out, &len);
    EVP_MD_CTX_free(c->ctx);
    free(c);
}

static void hex(char *out, const uint8_t *in, size_t n, const char *digits)
{
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

void mc_hex_lower(char *out, const uint8_t *in, size_t n) { hex(out, in, n, "0123456789abcdef"); }
void mc_hex_upper(char *out, const uint8_t *in, size_t n) { hex(out, in, n, "0123456789ABCDEF"); }

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

long mc_hex_decode(uint8_t *out, size_t cap, const char *s, size_t n)
{
    if (n % 2 || n / 2 > cap)
        return -1;
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return (long)(n / 2);
}

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void mc_base64_encode(mc_buf *out, const void *data, size_t n)
{
    const uint8_t *p = data;
    mc_buf_reserve(out, (n + 2) / 3 * 4);
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < n) v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < n) v |= p[i + 2];
        char q[4] = {B64[v >> 18 & 63], B64[v >> 12 & 63],
                     i + 1 < n ? B64[v >> 6 & 63] : '=', i + 2 < n ? B64[v & 63] : '='};
        mc_buf_append(out, q, 4);
    }
}

static int b64val(char c)
{
    const char *p = c ? strchr(B64, c) : NULL;
    return p ? (int)(p - B64) : -1;
}

int mc_base64_decode(mc_buf *out, const char *s, size_t n)
{
    if (n % 4)
        return -1;
    for (size_t i = 0; i < n; i += 4) {
        int v[4];
        int pad = 0;
        for (int j = 0; j < 4; j++) {
            if (s[i + j] == '=' && i + 4 == n && j >= 2) {
                v[j] = 0;
                pad++;
            } else {
                if (pad)
                    return -1;
                v[j] = b64val(s[i + j]);
                if (v[j] < 0)
                    return -1;
            }
        }
        uint32_t x = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        uint8_t b[3] = {(uint8_t)(x >> 16), (uint8_t)(x >> 8), (uint8_t)x};
        mc_buf_append(out, b, (size_t)(3 - pad));
    }
    return 0;
}

/* CRC-64/ECMA-182, reflected polynomial 0xC96C5795D7870F42, as OSS and
 * aliyun SDKs compute it (reference/oss-api.md §7). */
static uint64_t crc_table[256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
    for (int i = 0; i < 256; i++) {
        uint64_t c = (uint64_t)i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? (c >> 1) ^ 0xC96C5795D7870F42ULL : c >> 1;
        crc_table[i] = c;
    }
}

uint64_t mc_crc64_ecma(uint64_t crc, const void *data, size_t n)
{
    pthread_once(&crc_once, crc_init);
    const uint8_t *p = data;
    crc = ~crc;
    for (size_t i = 0; i < n; i++)
        crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

/* GF(2) matrix helpers for combine, as in zlib's crc32_combine. */
static uint64_t gf2_times(const uint64_t *mat, uint64_t vec)
{
    uint64_t sum = 0;
    while (vec) {
        if (vec & 1)
            sum ^= *mat;
        vec >>= 1;
        mat++;
    }
    return sum;
}

static void gf2_square(uint64_t *square, const uint64_t *mat)
{
    for (int n = 0; n < 64; n++)
        square[n] = gf2_times(mat, mat[n]);
}

uint64_t mc_crc64_ecma_combine(uint64_t crc1, uint64_t crc2, uint64_t len2)
{
    uint64_t even[64], odd[64];
    if (len2 == 0)
        return crc1;
    odd[0] = 0xC96C5795D7870F42ULL;
    uint64_t row = 1;
    for (int n = 1; n < 64; n++) {
        odd[n] = row;
        row <<= 1;
    }
    gf2_square(even, odd);
    gf2_square(odd, even);
    do {
        gf2_square(even, odd);
        if (len2 & 1)
            crc1 = gf2_times(even, crc1);
        len2 >>= 1;
        if (!len2)
            break;
        gf2_square(odd, even);
        if (len2 & 1)
            crc1 = gf2_times(odd, crc1);
        len2 >>= 1;
    } while (len2);
    return crc1 ^ crc2;
}

void mc_random_bytes(void *out, size_t n)
{
    if (RAND_bytes(out, (int)n) != 1)
        abort();
}
