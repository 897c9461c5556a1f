/*
 * libFuzzer target for the OSS REST API behind authentication
 * (emulator/oss/service.c, reference/oss-api.md): routing on method, path
 * and sub-resources, query parameters (listing markers, max-keys, uploadId,
 * partNumber, position), request headers (Range, conditions, copy source,
 * ACLs, metadata) and XML bodies (DeleteMultipleObjects,
 * CompleteMultipartUpload, CreateBucketConfiguration). The target starts the
 * emulator in-process once (tests/fuzz/fuzz_emu.h) with a bucket of fixture
 * objects and sends each input as one request signed V4 with the owner's
 * key, so the handler sees the input past authentication. Built and run by
 * ci/fuzz (seed corpus: tests/fuzz/corpus/oss_http).
 *
 * Input: "METHOD PATH[?QUERY]\n" (path-style, as sent: "/fzb/a%20b"), then
 * "Name: value" header lines up to an empty line, then the body.
 * MCDLF_FUZZ_TRACE=1 prints each request's status and answer.
 * Properties: no crash or sanitizer report in the emulator; no 5xx (bad
 * input gets an OSS error, never an internal one); the server answers.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "buf.h"
#include "client/http.h"
#include "client/oss_client.h"
#include "fuzz_emu.h"
#include "sign_oss.h"
#include "strutil.h"
#include "timeutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_HEADERS 24

static oss_client *owner;

/* The bucket fzb with a few objects, put back when an input removed them. */
static void ensure_fixtures(void)
{
    static const char *const keys[] = {"a", "dir/b", "dir/sub/c", "appendable"};
    mc_err err;
    if (oss_client_bucket_create(owner, "fzb", &err) && err.http_status != 409)
        fuzz_die("create bucket fzb", &err);
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        oss_client_head_info h;
        if (oss_client_head(owner, "fzb", keys[i], &h, &err) == 0)
            continue;
        if (i == 3 ? oss_client_append(owner, "fzb", keys[i], 0, "0123456789", 10, NULL, &err)
                   : oss_client_put(owner, "fzb", keys[i], "0123456789abcdef", 16, "text/plain", NULL, &err))
            fuzz_die("put fixture object", &err);
    }
}

static void stop(void)
{
    oss_client_free(owner);
    owner = NULL;
}

static void start(void)
{
    fuzz_emu_start("oss");
    oss_client_config cfg = {
        .endpoint = emulator_endpoint(fuzz_emu, "oss"),
        .region = emulator_region(fuzz_emu),
        .access_key_id = emulator_owner_key_id(fuzz_emu),
        .access_key_secret = emulator_owner_key_secret(fuzz_emu),
        .path_style = 1,
    };
    mc_err err;
    if (oss_client_new(&owner, &cfg, &err))
        fuzz_die("oss_client_new", &err);
    ensure_fixtures();
    atexit(stop); /* before fuzz_emu_stop */
}

/* Bucket and decoded key of a path-style path, as the service resolves
 * them; -1 when the path does not decode (then the request goes unsigned). */
static int target_of(const char *path, size_t n, mc_buf *bucket, mc_buf *key)
{
    mc_buf dec = MC_BUF_INIT;
    if (mc_url_decode(&dec, path, n, false) || strlen(mc_buf_cstr(&dec)) != dec.len) {
        mc_buf_free(&dec);
        return -1;
    }
    const char *p = mc_buf_cstr(&dec);
    if (*p == '/')
        p++;
    const char *slash = strchr(p, '/');
    mc_buf_append(bucket, p, slash ? (size_t)(slash - p) : strlen(p));
    if (slash && slash[1])
        mc_buf_puts(key, slash + 1);
    mc_buf_free(&dec);
    return 0;
}

/* Sends one request: fuzz headers plus the V4 signature headers. */
static long send_request(const char *method, const char *target, mc_header *h, size_t nh, const uint8_t *body,
                         size_t blen, mc_buf *answer)
{
    const char *qs = strchr(target, '?');
    size_t plen = qs ? (size_t)(qs - target) : strlen(target);
    mc_buf bucket = MC_BUF_INIT, key = MC_BUF_INIT, auth = MC_BUF_INIT;
    mc_query q;
    char datetime[32], date8[9];
    mc_time_iso8601_basic(datetime, sizeof datetime, time(NULL));
    snprintf(date8, sizeof date8, "%.8s", datetime);
    h[nh++] = (mc_header){"x-oss-date", datetime};
    h[nh++] = (mc_header){"x-oss-content-sha256", "UNSIGNED-PAYLOAD"};
    if (!mc_header_get(h, nh, "Content-Type"))
        h[nh++] = (mc_header){"Content-Type", "application/octet-stream"}; /* else curl adds one to a POST */
    if (target_of(target, plen, &bucket, &key) == 0 && mc_query_parse(&q, qs ? qs + 1 : "") == 0) {
        sign_oss_request r = {method, bucket.len ? bucket.data : NULL, key.len ? key.data : NULL, &q, h, nh};
        mc_buf creq = MC_BUF_INIT, sts = MC_BUF_INIT;
        sign_oss_v4_canonical_request(&creq, &r, NULL, false);
        sign_oss_v4_string_to_sign(&sts, datetime, emulator_region(fuzz_emu), "oss", creq.data);
        char sig[65];
        sign_oss_v4_signature(sig, emulator_owner_key_secret(fuzz_emu), date8, emulator_region(fuzz_emu), "oss",
                              sts.data);
        mc_buf_printf(&auth, "OSS4-HMAC-SHA256 Credential=%s/%s/%s/oss/aliyun_v4_request,Signature=%s",
                      emulator_owner_key_id(fuzz_emu), date8, emulator_region(fuzz_emu), sig);
        h[nh++] = (mc_header){"Authorization", auth.data};
        mc_buf_free(&creq);
        mc_buf_free(&sts);
        mc_query_free(&q);
    }
    char *url = mc_asprintf("%s%s", emulator_endpoint(fuzz_emu, "oss"), target);
    long status = fuzz_http(method, url, h, nh, body, blen, answer);
    free(url);
    mc_buf_free(&auth);
    mc_buf_free(&bucket);
    mc_buf_free(&key);
    return status;
}

/* What a client can put on a request line or in a header value. */
static bool printable(const char *s, bool spaces)
{
    for (; *s; s++)
        if ((unsigned char)*s < (spaces ? ' ' : '!') || *s == 0x7f)
            return false;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static unsigned long runs;
    if (!fuzz_emu)
        start();
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    /* Request line, headers, body (which may hold NULs: its length counts). */
    char *line = text, *next = memchr(text, '\n', size);
    if (!next || strlen(line) < (size_t)(next - text)) {
        free(text);
        return 0;
    }
    *next++ = '\0';
    char *sp = strchr(line, ' ');
    mc_header h[MAX_HEADERS + 4];
    size_t nh = 0;
    bool ok = sp && sp > line && sp - line <= 7 && sp[1] == '/' && printable(sp + 1, false);
    if (ok)
        *sp = '\0';
    for (char *m = line; ok && *m; m++)
        ok = isupper((unsigned char)*m);
    while (ok && next < text + size && *next != '\n') {
        char *end = memchr(next, '\n', (size_t)(text + size - next));
        if (!end || strlen(next) < (size_t)(end - next) || nh == MAX_HEADERS) {
            ok = false;
            break;
        }
        *end = '\0';
        char *colon = strchr(next, ':');
        if (!colon || colon == next || !printable(next, true) || !strcasecmp(next, "Content-Length") ||
            !strncasecmp(next, "Transfer-Encoding", 17) || !strncasecmp(next, "Expect", 6)) {
            ok = false; /* the transport's own headers stay with curl */
            break;
        }
        *colon = '\0';
        const char *v = colon + 1;
        while (*v == ' ')
            v++;
        h[nh++] = (mc_header){next, v};
        next = end + 1;
    }
    if (!ok) {
        free(text);
        return 0;
    }
    const uint8_t *body = next < text + size ? (const uint8_t *)next + 1 : (const uint8_t *)"";
    size_t blen = next < text + size ? (size_t)(text + size - next - 1) : 0;
    mc_buf answer = MC_BUF_INIT;
    long status = send_request(line, sp + 1, h, nh, body, blen, &answer);
    if (getenv("MCDLF_FUZZ_TRACE"))
        fprintf(stderr, "%s %s -> %ld %.300s\n", line, sp + 1, status, mc_buf_cstr(&answer));
    if (status == 0 || status >= 500) {
        fprintf(stderr, "fuzz_oss_http: %s %s answered %ld: %s\n", line, sp + 1, status, mc_buf_cstr(&answer));
        abort();
    }
    mc_buf_free(&answer);
    if (!strcmp(line, "DELETE") || ++runs % 256 == 0)
        ensure_fixtures();
    free(text);
    return 0;
}
