/*
 * Integration tests: the engine's OSS client against the emulator, for
 * every operation of issue 2 and its error paths (exact OSS code and HTTP
 * status). Each group runs in V4 and again in V1; the whole file runs once
 * with the emulator in-process and once against a `mcdlf serve` process
 * (test_emu.h; the STS cases need the in-process emulator's issuer).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/http.h"
#include "client/oss_client.h"
#include "crypto.h"
#include "emulator.h"
#include "test_emu.h"

typedef struct {
    char *dir;
    test_emu *te;
    emulator *emu; /* in-process only; NULL against a serve process */
    oss_client *c;
    bool v1;
} fx;

static oss_client *client_with(fx *f, const char *ak, const char *secret, const char *token, int64_t offset)
{
    oss_client_config cfg = {
        .endpoint = test_emu_endpoint(f->te, "oss"),
        .region = test_emu_region(f->te),
        .access_key_id = ak,
        .access_key_secret = secret,
        .security_token = token,
        .sign_v1 = f->v1,
        .path_style = -1,
        .part_size = 100 * 1024,
        .clock_offset_s = offset,
    };
    oss_client *c;
    mc_err err;
    assert_int_equal(oss_client_new(&c, &cfg, &err), 0);
    return c;
}

static int setup_common(void **state, bool v1)
{
    fx *f = calloc(1, sizeof *f);
    f->dir = tu_tmpdir("oss");
    f->v1 = v1;
    if (test_emu_start(&f->te, f->dir, 4))
        return -1;
    f->emu = test_emu_embedded(f->te);
    f->c = client_with(f, test_emu_key_id(f->te), test_emu_key_secret(f->te), NULL, 0);
    *state = f;
    return 0;
}

static int setup_v4(void **state) { return setup_common(state, false); }
static int setup_v1(void **state) { return setup_common(state, true); }

static int teardown(void **state)
{
    fx *f = *state;
    oss_client_free(f->c);
    test_emu_stop(f->te);
    tu_rmdir(f->dir);
    free(f);
    return 0;
}

#define OK(call)                                                                                                   \
    do {                                                                                                           \
        mc_err err_;                                                                                               \
        if ((call) != 0)                                                                                           \
            fail_msg("%s: %s", #call, err_.msg);                                                                   \
    } while (0)
/* The calls below take `&err_` through this macro's name. */
#define E (&err_)

static void expect_remote(const mc_err *e, int status, const char *code)
{
    if (e->code != MC_ERR_REMOTE || e->http_status != status || strcmp(e->remote_code, code) != 0)
        fail_msg("expected %d %s, got code %d status %d '%s': %s", status, code, e->code, e->http_status,
                 e->remote_code, e->msg);
}

#define FAILS(call, status, code)                                                                                  \
    do {                                                                                                           \
        mc_err err_;                                                                                               \
        assert_int_equal((call), -1);                                                                              \
        expect_remote(&err_, status, code);                                                                        \
    } while (0)

static void put_str(oss_client *c, const char *b, const char *k, const char *s)
{
    OK(oss_client_put(c, b, k, s, strlen(s), "text/plain", NULL, E));
}

static void expect_body(oss_client *c, const char *b, const char *k, int64_t off, int64_t len, const char *want)
{
    mc_buf got = MC_BUF_INIT;
    OK(oss_client_get(c, b, k, off, len, &got, E));
    assert_int_equal(got.len, strlen(want));
    assert_memory_equal(got.data, want, got.len);
    mc_buf_free(&got);
}

/* A raw call whose answer is expected to fail with status/code. */
static void raw_fails(oss_client *c, const char *method, const char *b, const char *k, const mc_query_param *q,
                      size_t nq, const mc_header *h, size_t nh, const char *body, int status, const char *code)
{
    oss_client_call call = {method, b, k, q, nq, h, nh, body, body ? strlen(body) : 0};
    oss_client_result r;
    mc_err err;
    assert_int_equal(oss_client_send(c, &call, &r, &err), -1);
    expect_remote(&err, status, code);
    assert_int_equal(r.status, status);
    oss_client_result_clear(&r);
}

static long raw_status(oss_client *c, const char *method, const char *b, const char *k, const mc_header *h, size_t nh,
                       mc_buf *body)
{
    oss_client_call call = {method, b, k, NULL, 0, h, nh, NULL, 0};
    oss_client_result r;
    mc_err err;
    oss_client_send(c, &call, &r, &err);
    long s = r.status;
    if (body) {
        mc_buf_reset(body);
        mc_buf_append(body, r.body.data, r.body.len);
    }
    oss_client_result_clear(&r);
    return s;
}

/* ---- buckets -------------------------------------------------------------------- */

static void test_buckets(void **state)
{
    fx *f = *state;
    OK(oss_client_bucket_create(f->c, "bkt-a", E));
    FAILS(oss_client_bucket_create(f->c, "bkt-a", E), 409, "BucketAlreadyExists");
    FAILS(oss_client_bucket_create(f->c, "Bad_Name", E), 400, "InvalidBucketName");
    FAILS(oss_client_bucket_delete(f->c, "no-such-bkt", E), 404, "NoSuchBucket");
    put_str(f->c, "bkt-a", "x", "1");
    FAILS(oss_client_bucket_delete(f->c, "bkt-a", E), 409, "BucketNotEmpty");
    OK(oss_client_delete(f->c, "bkt-a", "x", E));
    OK(oss_client_bucket_delete(f->c, "bkt-a", E));
    FAILS(oss_client_put(f->c, "bkt-a", "x", "1", 1, NULL, NULL, E), 404, "NoSuchBucket");
}

/* ---- objects -------------------------------------------------------------------- */

static void test_put_get_head(void **state)
{
    fx *f = *state;
    OK(oss_client_bucket_create(f->c, "objs", E));
    const char *data = "hello, paimon";
    mc_buf etag = MC_BUF_INIT;
    OK(oss_client_put(f->c, "objs", "dir/a b+c.txt", data, strlen(data), "text/plain", &etag, E));
    /* ETag: quoted upper-case MD5 hex for simple uploads. */
    uint8_t md5[MC_MD5_LEN];
    char hex[33], want[40];
    mc_md5(md5, data, strlen(data));
    mc_hex_upper(hex, md5, sizeof md5);
    snprintf(want, sizeof want, "\"%s\"", hex);
    assert_string_equal(mc_buf_cstr(&etag), want);
    expect_body(f->c, "objs", "dir/a b+c.txt", 0, -1, data);
    expect_body(f->c, "objs", "dir/a b+c.txt", 7, 6, "paimon");
    expect_body(f->c, "objs", "dir/a b+c.txt", 7, -1, "paimon");
    oss_client_head_info hi;
    OK(oss_client_head(f->c, "objs", "dir/a b+c.txt", &hi, E));
    assert_int_equal(hi.size, (int64_t)strlen(data));
    assert_string_equal(hi.etag, want);
    assert_string_equal(hi.content_type, "text/plain");
    assert_string_equal(hi.type, "Normal");
    /* Unicode and reserved characters in keys survive the round trip. */
    put_str(f->c, "objs", "ü/%41?#&=;", "odd");
    expect_body(f->c, "objs", "ü/%41?#&=;", 0, -1, "odd");
    /* Empty object. */
    OK(oss_client_put(f->c, "objs", "empty", "", 0, NULL, NULL, E));
    expect_body(f->c, "objs", "empty", 0, -1, "");
    mc_buf_free(&etag);
}

static void test_object_errors(void **state)
{
    fx *f = *state;
    OK(oss_client_bucket_create(f->c, "errs", E));
    mc_buf out = MC_BUF_INIT;
    FAILS(oss_client_get(f->c, "errs", "missing", 0, -1, &out, E), 404, "NoSuchKey");
    FAILS(oss_client_get(f->c, "nobucket", "k", 0, -1, &out, E), 404, "NoSuchBucket");
    oss_client_head_info hi;
    /* HEAD has no body: the code arrives in x-oss-err. */
    FAILS(oss_client_head(f->c, "errs", "missing", &hi, E), 404, "NoSuchKey");
    FAILS(oss_client_head(f->c, "nobucket", "k", &hi, E), 404, "NoSuchBucket");
    FAILS(oss_client_delete(f->c, "nobucket", "k", E), 404, "NoSuchBucket");
    OK(oss_client_delete(f->c, "errs", "missing", E)); /* deleting a missing key succeeds (204) */
    FAILS(oss_client_put(f->c, "errs", "a/../b", "x", 1, NULL, NULL, E), 400, "InvalidObjectName");
    char longkey[1100];
    memset(longkey, 'k', sizeof longkey - 1);
    longkey[sizeof longkey - 1] = '\0';
    FAILS(oss_client_put(f->c, "errs", longkey, "x", 1, NULL, NULL, E), 400, "InvalidObjectName");
    /* Range past the end with standard behaviour: 416 InvalidRange. */
    put_str(f->c, "errs", "small", "0123456789");
    FAILS(oss_client_get(f->c, "errs", "small", 20, 5, &out, E), 416, "InvalidRange");
    mc_buf_free(&out);

    /* Content-MD5 that does not match the body. */
    mc_header bad_md5 = {"Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg=="};
    raw_fails(f->c, "PUT", "errs", "digest", NULL, 0, &bad_md5, 1, "not empty", 400, "InvalidDigest");
    FAILS(oss_client_head(f->c, "errs", "digest", &hi, E), 404, "NoSuchKey");
    /* x-oss-forbid-overwrite on an existing key. */
    mc_header forbid = {"x-oss-forbid-overwrite", "true"};
    raw_fails(f->c, "PUT", "errs", "small", NULL, 0, &forbid, 1, "new", 409, "FileAlreadyExists");
    expect_body(f->c, "errs", "small", 0, -1, "0123456789");
}

static void test_ranges_and_conditions(void **state)
{
    fx *f = *state;
    OK(oss_client_bucket_create(f->c, "rng", E));
    put_str(f->c, "rng", "k", "0123456789");
    mc_buf body = MC_BUF_INIT;
    mc_header suffix = {"Range", "bytes=-3"};
    assert_int_equal(raw_status(f->c, "GET", "rng", "k", &suffix, 1, &body), 206);
    assert_string_equal(mc_buf_cstr(&body), "789");
    /* Without x-oss-range-behavior an unsatisfiable range answers the whole object. */
    mc_header beyond = {"Range", "bytes=50-60"};
    assert_int_equal(raw_status(f->c, "GET", "rng", "k", &beyond, 1, &body), 200);
    assert_string_equal(mc_buf_cstr(&body), "0123456789");
    oss_client_head_info hi;
    OK(oss_client_head(f->c, "rng", "k", &hi, E));
    mc_header inm = {"If-None-Match", hi.etag};
    assert_int_equal(raw_status(f->c, "GET", "rng", "k", &inm, 1, NULL), 304);
    mc_header im = {"If-Match", "\"00000000000000000000000000000000\""};
    raw_fails(f->c, "GET", "rng", "k", NULL, 0, &im, 1, NULL, 412, "PreconditionFailed");
    mc_header ims = {"If-Modified-Since", "Sun, 01 Jan 2090 00:00:00 GMT"};
    assert_int_equal(raw_status(f->c, "GET", "rng", "k", &ims, 1, NULL), 304);
    mc_header ius = {"If-Unmodified-Since", "Sat, 01 Jan 2000 00:00:00 GMT"};
    raw_fails(f->c, "GET", "rng", "k", NULL, 0, &ius, 1, NULL, 412, "PreconditionFailed");
    mc_buf_free(&body);
}

static void test_copy_append(void **state)
{
    fx *f = *state;
    OK(oss_client_bucket_create(f->c, "cp1", E));
    OK(oss_client_bucket_create(f->c, "cp2", E));
    put_str(f->c, "cp1", "src key", "payload");
    OK(oss_client_copy(f->c, "cp1", "src key", "cp2", "dst/key", E));
    expect_body(f->c, "cp2", "dst/key", 0, -1, "payload");
    FAILS(oss_client_copy(f->c, "cp1", "nothing", "cp2", "x", E), 404, "NoSuchKey");

    int64_t next = 0;
    OK(oss_client_append(f->c, "cp1", "log", 0, "abc", 3, &next, E));
    assert_int_equal(next, 3);
    OK(oss_client_append(f->c, "cp1", "log", next, "def", 3, &next, E));
    assert_int_equal(next, 6);
    FAILS(oss_client_append(f->c, "cp1", "log", 2, "x", 1, &next, E), 409, "PositionNotEqualToLength");
    expect_body(f->c, "cp1", "log", 0, -1, "abcdef");
    oss_client_head_info hi;
    OK(oss_client_head(f->c, "cp1", "log", &hi, E));
    assert_string_equal(hi.type, "Appendable");
}

/* ---- listing and delete-multiple ------------------------------------------------ */

static void test_list_and_delete_multiple(void **state)
{
    fx *f = *state;
    OK(oss_client_bucket_create(f->c, "lst", E));
    enum { N = 1003 }; /* more than one page (1000) and one delete batch */
    char **keys = calloc(N, sizeof *keys);
    for (int i = 0; i < N; i++) {
        keys[i] = mc_asprintf("t/p=%d/f-%04d", i % 3, i);
        put_str(f->c, "lst", keys[i], "x");
    }
    put_str(f->c, "lst", "t/top", "y");
    put_str(f->c, "lst", "u", "z");
    oss_client_listing l;
    OK(oss_client_list(f->c, "lst", "t/", NULL, &l, E));
    assert_int_equal(l.nkeys, N + 1);
    for (size_t i = 1; i < l.nkeys; i++)
        assert_true(strcmp(l.keys[i - 1], l.keys[i]) < 0); /* byte order, no duplicates across pages */
    assert_int_equal(l.sizes[0], 1);
    oss_client_listing_clear(&l);

    OK(oss_client_list(f->c, "lst", "t/", "/", &l, E));
    assert_int_equal(l.nkeys, 1);
    assert_string_equal(l.keys[0], "t/top");
    assert_int_equal(l.nprefixes, 3);
    assert_string_equal(l.prefixes[0], "t/p=0/");
    assert_string_equal(l.prefixes[2], "t/p=2/");
    oss_client_listing_clear(&l);

    OK(oss_client_delete_multiple(f->c, "lst", (const char *const *)keys, N, E));
    OK(oss_client_list(f->c, "lst", NULL, NULL, &l, E));
    assert_int_equal(l.nkeys, 2);
    assert_string_equal(l.keys[0], "t/top");
    assert_string_equal(l.keys[1], "u");
    oss_client_listing_clear(&l);
    FAILS(oss_client_list(f->c, "nolist", NULL, NULL, &l, E), 404, "NoSuchBucket");
    for (int i = 0; i < N; i++)
        free(keys[i]);
    free(keys);

    /* A malformed Delete body. */
    mc_query_param del = {"delete", "", false};
    mc_header ct = {"Content-Type", "application/xml"};
    raw_fails(f->c, "POST", "lst", NULL, &del, 1, &ct, 1, "<Delete><Object>", 400, "MalformedXML");
}

/* ---- multipart ------------------------------------------------------------------ */

static void test_multipart(void **state)
{
    fx *f = *state;
    OK(oss_client_bucket_create(f->c, "mpu", E));
    size_t n = 350 * 1024 + 17; /* four parts of 100 KiB..., the last short */
    uint8_t *data = malloc(n);
    for (size_t i = 0; i < n; i++)
        data[i] = (uint8_t)(i * 7 + i / 251);
    mc_buf etag = MC_BUF_INIT;
    OK(oss_client_put(f->c, "mpu", "big.bin", data, n, NULL, &etag, E));
    assert_true(mc_str_ends_with(mc_buf_cstr(&etag), "-4\""));
    mc_buf got = MC_BUF_INIT;
    OK(oss_client_get(f->c, "mpu", "big.bin", 0, -1, &got, E));
    assert_int_equal(got.len, n);
    assert_memory_equal(got.data, data, n);
    OK(oss_client_get(f->c, "mpu", "big.bin", 102390, 20, &got, E));
    assert_memory_equal(got.data, data + 102390, 20);
    oss_client_head_info hi;
    OK(oss_client_head(f->c, "mpu", "big.bin", &hi, E));
    assert_string_equal(hi.type, "Multipart");
    assert_int_equal(hi.size, (int64_t)n);

    /* Error paths of Complete, driven by hand. */
    oss_client_call init = {"POST", "mpu", "manual", &(mc_query_param){"uploads", "", false}, 1, NULL, 0, NULL, 0};
    oss_client_result r;
    OK(oss_client_send(f->c, &init, &r, E));
    char *p = strstr(mc_buf_cstr(&r.body), "<UploadId>");
    assert_non_null(p);
    char *uid = mc_strndup(p + 10, strcspn(p + 10, "<"));
    oss_client_result_clear(&r);
    char *etags[2];
    for (int i = 0; i < 2; i++) {
        mc_query_param q[2] = {{"partNumber", i ? "2" : "1", true}, {"uploadId", uid, true}};
        oss_client_call up = {"PUT", "mpu", "manual", q, 2, NULL, 0, "tiny", 4};
        OK(oss_client_send(f->c, &up, &r, E));
        etags[i] = mc_strdup(mc_buf_cstr(&r.etag));
        oss_client_result_clear(&r);
    }
    mc_query_param q = {"uploadId", uid, true};
    mc_buf xml = MC_BUF_INIT;
    mc_buf_printf(&xml, "<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>%s</ETag></Part>"
                        "<Part><PartNumber>1</PartNumber><ETag>%s</ETag></Part></CompleteMultipartUpload>",
                  etags[1], etags[0]);
    raw_fails(f->c, "POST", "mpu", "manual", &q, 1, NULL, 0, xml.data, 400, "InvalidPartOrder");
    mc_buf_reset(&xml);
    mc_buf_printf(&xml, "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"0BAD\"</ETag></Part>"
                        "</CompleteMultipartUpload>");
    raw_fails(f->c, "POST", "mpu", "manual", &q, 1, NULL, 0, xml.data, 400, "InvalidPart");
    mc_buf_reset(&xml);
    mc_buf_printf(&xml, "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>%s</ETag></Part>"
                        "<Part><PartNumber>2</PartNumber><ETag>%s</ETag></Part></CompleteMultipartUpload>",
                  etags[0], etags[1]);
    raw_fails(f->c, "POST", "mpu", "manual", &q, 1, NULL, 0, xml.data, 400, "EntityTooSmall");
    raw_fails(f->c, "POST", "mpu", "manual", &q, 1, NULL, 0, "<CompleteMultipartUpload><Part>", 400, "MalformedXML");
    /* Abort answers 204; afterwards the upload is gone. */
    oss_client_call abort_call = {"DELETE", "mpu", "manual", &q, 1, NULL, 0, NULL, 0};
    OK(oss_client_send(f->c, &abort_call, &r, E));
    assert_int_equal(r.status, 204);
    oss_client_result_clear(&r);
    raw_fails(f->c, "POST", "mpu", "manual", &q, 1, NULL, 0, xml.data, 404, "NoSuchUpload");
    FAILS(oss_client_head(f->c, "mpu", "manual", &hi, E), 404, "NoSuchKey");
    for (int i = 0; i < 2; i++)
        free(etags[i]);
    free(uid);
    mc_buf_free(&xml);
    mc_buf_free(&got);
    mc_buf_free(&etag);
    free(data);
}

/* A streamed source: a counter-generated byte sequence read in odd-sized chunks. */
typedef struct {
    size_t total, pos;
} gen_source;

static ssize_t gen_read(void *ud, void *buf, size_t n)
{
    gen_source *g = ud;
    size_t k = g->total - g->pos < n ? g->total - g->pos : n;
    if (k > 7777)
        k = 7777; /* short reads, as pipes give */
    for (size_t i = 0; i < k; i++)
        ((uint8_t *)buf)[i] = (uint8_t)((g->pos + i) * 31 + 7);
    g->pos += k;
    return (ssize_t)k;
}

static void test_streamed_uploads(void **state)
{
    fx *f = *state;
    OK(oss_client_bucket_create(f->c, "stream", E));
    /* Larger than a part: multipart, one part in memory at a time. */
    gen_source g = {250 * 1024 + 3, 0};
    mc_buf etag = MC_BUF_INIT;
    OK(oss_client_put_stream(f->c, "stream", "big", gen_read, &g, NULL, &etag, E));
    assert_true(mc_str_ends_with(mc_buf_cstr(&etag), "-3\""));
    mc_buf got = MC_BUF_INIT;
    OK(oss_client_get(f->c, "stream", "big", 0, -1, &got, E));
    assert_int_equal(got.len, g.total);
    for (size_t i = 0; i < got.len; i++)
        if ((uint8_t)got.data[i] != (uint8_t)(i * 31 + 7))
            fail_msg("byte %zu differs", i);
    /* Smaller than a part: one PutObject with a simple ETag. */
    gen_source small = {1000, 0};
    OK(oss_client_put_stream(f->c, "stream", "small", gen_read, &small, "text/plain", &etag, E));
    assert_false(strchr(mc_buf_cstr(&etag), '-'));
    oss_client_head_info hi;
    OK(oss_client_head(f->c, "stream", "small", &hi, E));
    assert_int_equal(hi.size, 1000);
    assert_string_equal(hi.type, "Normal");
    /* Empty source: an empty object. */
    gen_source none = {0, 0};
    OK(oss_client_put_stream(f->c, "stream", "empty", gen_read, &none, NULL, NULL, E));
    OK(oss_client_head(f->c, "stream", "empty", &hi, E));
    assert_int_equal(hi.size, 0);
    mc_buf_free(&got);
    mc_buf_free(&etag);
}

/* ---- authentication ------------------------------------------------------------- */

static void test_auth_errors(void **state)
{
    fx *f = *state;
    OK(oss_client_bucket_create(f->c, "auth", E));
    put_str(f->c, "auth", "k", "v");
    mc_buf out = MC_BUF_INIT;
    oss_client *bad = client_with(f, test_emu_key_id(f->te), "wrong-secret", NULL, 0);
    FAILS(oss_client_get(bad, "auth", "k", 0, -1, &out, E), 403, "SignatureDoesNotMatch");
    oss_client_free(bad);
    bad = client_with(f, "LTAInoSuchKeyId", "x", NULL, 0);
    FAILS(oss_client_get(bad, "auth", "k", 0, -1, &out, E), 403, "InvalidAccessKeyId");
    oss_client_free(bad);
    bad = client_with(f, test_emu_key_id(f->te), test_emu_key_secret(f->te), NULL, 3600);
    FAILS(oss_client_get(bad, "auth", "k", 0, -1, &out, E), 403, "RequestTimeTooSkewed");
    oss_client_free(bad);
    mc_buf_free(&out);
}

static void test_sts(void **state)
{
    fx *f = *state;
    if (!f->emu)
        skip(); /* the owner STS issuer is in-process only */
    OK(oss_client_bucket_create(f->c, "sts", E));
    put_str(f->c, "sts", "tables/t1/a", "data");
    put_str(f->c, "sts", "other/b", "data");
    mc_buf out = MC_BUF_INIT;
    emulator_sts s;

    OK(emulator_issue_owner_sts(f->emu, 3600 * 1000, NULL, &s, E));
    oss_client *c = client_with(f, s.id, s.secret, s.token, 0);
    expect_body(c, "sts", "tables/t1/a", 0, -1, "data");
    put_str(c, "sts", "tables/t1/new", "w");
    oss_client_free(c);
    c = client_with(f, s.id, s.secret, "not-the-token", 0);
    FAILS(oss_client_get(c, "sts", "tables/t1/a", 0, -1, &out, E), 403, "InvalidSecurityToken");
    oss_client_free(c);
    free(s.token);

    OK(emulator_issue_owner_sts(f->emu, -1000, NULL, &s, E));
    c = client_with(f, s.id, s.secret, s.token, 0);
    FAILS(oss_client_get(c, "sts", "tables/t1/a", 0, -1, &out, E), 403, "SecurityTokenExpired");
    oss_client_free(c);
    free(s.token);

    /* A read-only token scoped to one table's prefix (a table data token). */
    OK(emulator_issue_owner_sts(f->emu, 3600 * 1000, "{\"bucket\":\"sts\",\"prefix\":\"tables/t1/\",\"write\":false}",
                                &s, E));
    c = client_with(f, s.id, s.secret, s.token, 0);
    expect_body(c, "sts", "tables/t1/a", 0, -1, "data");
    oss_client_listing l;
    OK(oss_client_list(c, "sts", "tables/t1/", NULL, &l, E));
    assert_int_equal(l.nkeys, 2);
    oss_client_listing_clear(&l);
    FAILS(oss_client_get(c, "sts", "other/b", 0, -1, &out, E), 403, "AccessDenied");
    FAILS(oss_client_put(c, "sts", "tables/t1/b", "x", 1, NULL, NULL, E), 403, "AccessDenied");
    FAILS(oss_client_delete(c, "sts", "tables/t1/a", E), 403, "AccessDenied");
    expect_body(f->c, "sts", "tables/t1/a", 0, -1, "data");
    oss_client_free(c);
    free(s.token);
    mc_buf_free(&out);
}

static void fetch_url(const char *method, const char *url, const char *body, http_response *r)
{
    http_request q = {.method = method, .url = url, .body = body, .body_len = body ? strlen(body) : 0};
    mc_err err;
    if (http_send(r, &q, &err))
        fail_msg("%s", err.msg);
}

static void test_presign(void **state)
{
    fx *f = *state;
    OK(oss_client_bucket_create(f->c, "pre", E));
    put_str(f->c, "pre", "dir/a b.txt", "presigned");
    mc_buf url = MC_BUF_INIT;
    http_response r;
    OK(oss_client_presign(f->c, "GET", "pre", "dir/a b.txt", 600, &url, E));
    fetch_url("GET", url.data, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(mc_buf_cstr(&r.body), "presigned");
    http_response_clear(&r);

    OK(oss_client_presign(f->c, "PUT", "pre", "up.txt", 600, &url, E));
    fetch_url("PUT", url.data, "via url", &r);
    assert_int_equal(r.status, 200);
    http_response_clear(&r);
    expect_body(f->c, "pre", "up.txt", 0, -1, "via url");

    /* A URL signed for GET does not authorise a PUT. */
    OK(oss_client_presign(f->c, "GET", "pre", "up.txt", 600, &url, E));
    fetch_url("PUT", url.data, "overwrite", &r);
    assert_int_equal(r.status, 403);
    assert_non_null(strstr(mc_buf_cstr(&r.body), "<Code>SignatureDoesNotMatch</Code>"));
    http_response_clear(&r);
    expect_body(f->c, "pre", "up.txt", 0, -1, "via url");

    /* Expired: signed an hour ago for ten minutes. */
    oss_client *old = client_with(f, test_emu_key_id(f->te), test_emu_key_secret(f->te), NULL, -3600);
    OK(oss_client_presign(old, "GET", "pre", "up.txt", 600, &url, E));
    fetch_url("GET", url.data, NULL, &r);
    assert_int_equal(r.status, 403);
    assert_non_null(strstr(mc_buf_cstr(&r.body), "<Code>AccessDenied</Code>"));
    assert_non_null(strstr(mc_buf_cstr(&r.body), "<Message>Request has expired.</Message>"));
    http_response_clear(&r);
    oss_client_free(old);

    /* With STS credentials the token travels in the URL (in-process issuer). */
    if (f->emu) {
        emulator_sts s;
        OK(emulator_issue_owner_sts(f->emu, 3600 * 1000, NULL, &s, E));
        oss_client *c = client_with(f, s.id, s.secret, s.token, 0);
        OK(oss_client_presign(c, "GET", "pre", "dir/a b.txt", 600, &url, E));
        fetch_url("GET", url.data, NULL, &r);
        assert_int_equal(r.status, 200);
        assert_string_equal(mc_buf_cstr(&r.body), "presigned");
        http_response_clear(&r);
        oss_client_free(c);
        free(s.token);
    }
    mc_buf_free(&url);
}

static void test_anonymous_refused(void **state)
{
    fx *f = *state;
    OK(oss_client_bucket_create(f->c, "anon", E));
    put_str(f->c, "anon", "k", "secret");
    mc_buf url = MC_BUF_INIT;
    mc_buf_printf(&url, "%s/anon/k", test_emu_endpoint(f->te, "oss"));
    http_response r;
    fetch_url("GET", url.data, NULL, &r);
    assert_int_equal(r.status, 403);
    assert_non_null(strstr(mc_buf_cstr(&r.body), "<Code>AccessDenied</Code>"));
    assert_non_null(http_response_header(&r, "x-oss-request-id"));
    http_response_clear(&r);

    /* A public-read bucket serves anonymous reads but not writes. */
    mc_header pr = {"x-oss-acl", "public-read"};
    mc_query_param acl = {"acl", "", false};
    oss_client_call set = {"PUT", "anon", NULL, &acl, 1, &pr, 1, NULL, 0};
    oss_client_result res;
    OK(oss_client_send(f->c, &set, &res, E));
    oss_client_result_clear(&res);
    oss_client_call get = {"GET", "anon", NULL, &acl, 1, NULL, 0, NULL, 0};
    OK(oss_client_send(f->c, &get, &res, E));
    assert_non_null(strstr(mc_buf_cstr(&res.body), "<Grant>public-read</Grant>"));
    oss_client_result_clear(&res);
    fetch_url("GET", url.data, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(mc_buf_cstr(&r.body), "secret");
    http_response_clear(&r);
    fetch_url("PUT", url.data, "overwrite", &r);
    assert_int_equal(r.status, 403);
    http_response_clear(&r);
    expect_body(f->c, "anon", "k", 0, -1, "secret");
    /* public-read-write: anonymous object writes too, never bucket administration. */
    mc_header prw = {"x-oss-acl", "public-read-write"};
    set.headers = &prw;
    OK(oss_client_send(f->c, &set, &res, E));
    oss_client_result_clear(&res);
    fetch_url("PUT", url.data, "anonymous", &r);
    assert_int_equal(r.status, 200);
    http_response_clear(&r);
    expect_body(f->c, "anon", "k", 0, -1, "anonymous");
    mc_buf b2 = MC_BUF_INIT;
    mc_buf_printf(&b2, "%s/anon", test_emu_endpoint(f->te, "oss"));
    fetch_url("DELETE", b2.data, NULL, &r);
    assert_int_equal(r.status, 403);
    http_response_clear(&r);
    mc_buf_free(&b2);
    mc_header bad = {"x-oss-acl", "public"};
    set.headers = &bad;
    raw_fails(f->c, "PUT", "anon", NULL, &acl, 1, &bad, 1, NULL, 400, "InvalidArgument");
    mc_buf_free(&url);
}

static void test_client_config_errors(void **state)
{
    (void)state;
    oss_client *c;
    mc_err err;
    oss_client_config cfg = {.endpoint = "ftp://x", .access_key_id = "a", .access_key_secret = "b", .path_style = -1};
    assert_int_equal(oss_client_new(&c, &cfg, &err), -1);
    assert_string_equal(err.msg, "OSS endpoint 'ftp://x': scheme must be http or https");
    cfg.endpoint = NULL;
    assert_int_equal(oss_client_new(&c, &cfg, &err), -1);
    assert_string_equal(err.msg, "OSS endpoint is not configured");
    /* Nothing listens on port 1: a network error, not a remote answer. */
    cfg.endpoint = "http://127.0.0.1:1";
    cfg.max_retries = 1;
    assert_int_equal(oss_client_new(&c, &cfg, &err), 0);
    mc_buf out = MC_BUF_INIT;
    assert_int_equal(oss_client_get(c, "b", "k", 0, -1, &out, &err), -1);
    assert_int_equal(err.code, MC_ERR_NETWORK);
    oss_client_free(c);
    mc_buf_free(&out);
}


/* ---- the remaining operations, through raw signed calls ------------------------- */

static char *xml_text(const oss_client_result *r, const char *open_tag)
{
    const char *p = strstr(mc_buf_cstr(&r->body), open_tag);
    if (!p)
        return NULL;
    p += strlen(open_tag);
    return mc_strndup(p, strcspn(p, "<"));
}

static void call_ok(oss_client *c, const char *method, const char *b, const char *k, const mc_query_param *q,
                    size_t nq, const mc_header *h, size_t nh, const char *body, oss_client_result *r)
{
    oss_client_call call = {method, b, k, q, nq, h, nh, body, body ? strlen(body) : 0};
    mc_err err;
    if (oss_client_send(c, &call, r, &err))
        fail_msg("%s %s/%s: %s", method, b ? b : "", k ? k : "", err.msg);
}

static void test_service_and_bucket_info(void **state)
{
    fx *f = *state;
    OK(oss_client_bucket_create(f->c, "info-a", E));
    OK(oss_client_bucket_create(f->c, "info-b", E));
    oss_client_result r;
    /* ListBuckets (GetService). */
    call_ok(f->c, "GET", NULL, NULL, NULL, 0, NULL, 0, NULL, &r);
    const char *body = mc_buf_cstr(&r.body);
    assert_non_null(strstr(body, "<ListAllMyBucketsResult>"));
    char *a = strstr(body, "<Name>info-a</Name>"), *b = strstr(body, "<Name>info-b</Name>");
    assert_true(a && b && a < b);
    oss_client_result_clear(&r);
    /* GetBucketInfo. */
    mc_query_param bi = {"bucketInfo", "", false};
    call_ok(f->c, "GET", "info-a", NULL, &bi, 1, NULL, 0, NULL, &r);
    char *name = xml_text(&r, "<Name>");
    assert_string_equal(name, "info-a");
    free(name);
    char *owner = xml_text(&r, "<ID>");
    assert_string_equal(owner, test_emu_account_id(f->te));
    free(owner);
    oss_client_result_clear(&r);
    raw_fails(f->c, "GET", "info-none", NULL, &bi, 1, NULL, 0, NULL, 404, "NoSuchBucket");
}

static void test_list_v1_and_meta(void **state)
{
    fx *f = *state;
    OK(oss_client_bucket_create(f->c, "v1list", E));
    static const char *const keys[] = {"a/1", "a/2", "b/x y", "c"};
    for (size_t i = 0; i < 4; i++)
        put_str(f->c, "v1list", keys[i], "v");
    oss_client_result r;
    /* v1 with delimiter and max-keys: a page with NextMarker. */
    mc_query_param q1[3] = {{"delimiter", "/", true}, {"max-keys", "2", true}, {"encoding-type", "url", true}};
    call_ok(f->c, "GET", "v1list", NULL, q1, 3, NULL, 0, NULL, &r);
    const char *body = mc_buf_cstr(&r.body);
    assert_non_null(strstr(body, "<ListBucketResult>"));
    assert_non_null(strstr(body, "<CommonPrefixes><Prefix>a%2F</Prefix></CommonPrefixes>"));
    assert_non_null(strstr(body, "<CommonPrefixes><Prefix>b%2F</Prefix></CommonPrefixes>"));
    assert_non_null(strstr(body, "<IsTruncated>true</IsTruncated>"));
    char *marker = xml_text(&r, "<NextMarker>");
    assert_string_equal(marker, "b%2F");
    oss_client_result_clear(&r);
    mc_query_param q2[3] = {{"delimiter", "/", true}, {"marker", "b/", true}, {"encoding-type", "url", true}};
    call_ok(f->c, "GET", "v1list", NULL, q2, 3, NULL, 0, NULL, &r);
    body = mc_buf_cstr(&r.body);
    assert_non_null(strstr(body, "<Key>c</Key>"));
    assert_non_null(strstr(body, "<Owner>")); /* v1 listings carry the owner (oss-api.md §6) */
    assert_non_null(strstr(body, "<IsTruncated>false</IsTruncated>"));
    assert_null(strstr(body, "<Key>a/1</Key>"));
    oss_client_result_clear(&r);
    free(marker);
    raw_fails(f->c, "GET", "v1list", NULL, &(mc_query_param){"encoding-type", "base64", true}, 1, NULL, 0, NULL, 400,
              "InvalidArgument");

    /* User metadata and Content-Type survive; copy keeps them unless REPLACE. */
    mc_header h[2] = {{"x-oss-meta-owner", "alice"}, {"Content-Type", "text/csv"}};
    call_ok(f->c, "PUT", "v1list", "meta", NULL, 0, h, 2, "1,2", &r);
    oss_client_result_clear(&r);
    mc_buf v = MC_BUF_INIT;
    call_ok(f->c, "HEAD", "v1list", "meta", NULL, 0, NULL, 0, NULL, &r);
    assert_int_equal(oss_client_result_header(&r, "x-oss-meta-owner", &v), 0);
    assert_string_equal(v.data, "alice");
    assert_int_equal(oss_client_result_header(&r, "x-oss-hash-crc64ecma", &v), 0);
    oss_client_result_clear(&r);
    mc_header copy[3] = {{"x-oss-copy-source", "/v1list/meta"}, {"x-oss-metadata-directive", "REPLACE"},
                         {"x-oss-meta-owner", "bob"}};
    call_ok(f->c, "PUT", "v1list", "meta2", NULL, 0, copy, 3, NULL, &r);
    oss_client_result_clear(&r);
    call_ok(f->c, "HEAD", "v1list", "meta2", NULL, 0, NULL, 0, NULL, &r);
    assert_int_equal(oss_client_result_header(&r, "x-oss-meta-owner", &v), 0);
    assert_string_equal(v.data, "bob");
    oss_client_result_clear(&r);
    OK(oss_client_copy(f->c, "v1list", "meta", "v1list", "meta3", E));
    call_ok(f->c, "HEAD", "v1list", "meta3", NULL, 0, NULL, 0, NULL, &r);
    assert_int_equal(oss_client_result_header(&r, "x-oss-meta-owner", &v), 0);
    assert_string_equal(v.data, "alice");
    assert_int_equal(oss_client_result_header(&r, "content-type", &v), 0);
    assert_string_equal(v.data, "text/csv");
    oss_client_result_clear(&r);
    mc_buf_free(&v);
}

static void test_multipart_listing_and_part_copy(void **state)
{
    fx *f = *state;
    OK(oss_client_bucket_create(f->c, "mplist", E));
    size_t n = 150 * 1024;
    char *big = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        big[i] = (char)('a' + i % 26);
    big[n] = '\0';
    OK(oss_client_put(f->c, "mplist", "source", big, 120 * 1024, NULL, NULL, E));
    oss_client_result r;
    mc_query_param up = {"uploads", "", false};
    call_ok(f->c, "POST", "mplist", "target", &up, 1, NULL, 0, NULL, &r);
    char *uid = xml_text(&r, "<UploadId>");
    oss_client_result_clear(&r);
    /* ListMultipartUploads shows it. */
    call_ok(f->c, "GET", "mplist", NULL, &up, 1, NULL, 0, NULL, &r);
    assert_non_null(strstr(mc_buf_cstr(&r.body), "<Key>target</Key>"));
    assert_non_null(strstr(mc_buf_cstr(&r.body), uid));
    oss_client_result_clear(&r);
    /* Part 1: UploadPartCopy of a range of the source; part 2: plain upload. */
    mc_query_param p1[2] = {{"partNumber", "1", true}, {"uploadId", uid, true}};
    mc_header cp[2] = {{"x-oss-copy-source", "/mplist/source"}, {"x-oss-copy-source-range", "bytes=0-102399"}};
    call_ok(f->c, "PUT", "mplist", "target", p1, 2, cp, 2, NULL, &r);
    char *e1 = mc_strdup(mc_buf_cstr(&r.etag));
    assert_true(strlen(e1) > 2);
    oss_client_result_clear(&r);
    mc_query_param p2[2] = {{"partNumber", "2", true}, {"uploadId", uid, true}};
    call_ok(f->c, "PUT", "mplist", "target", p2, 2, NULL, 0, "tail", &r);
    char *e2 = mc_strdup(mc_buf_cstr(&r.etag));
    oss_client_result_clear(&r);
    /* ListParts. */
    mc_query_param lp = {"uploadId", uid, true};
    call_ok(f->c, "GET", "mplist", "target", &lp, 1, NULL, 0, NULL, &r);
    const char *body = mc_buf_cstr(&r.body);
    assert_non_null(strstr(body, "<PartNumber>1</PartNumber>"));
    assert_non_null(strstr(body, "<PartNumber>2</PartNumber>"));
    assert_non_null(strstr(body, "<Size>102400</Size>"));
    oss_client_result_clear(&r);
    mc_buf xml = MC_BUF_INIT;
    mc_buf_printf(&xml, "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>%s</ETag></Part>"
                        "<Part><PartNumber>2</PartNumber><ETag>%s</ETag></Part></CompleteMultipartUpload>",
                  e1, e2);
    call_ok(f->c, "POST", "mplist", "target", &lp, 1, NULL, 0, xml.data, &r);
    oss_client_result_clear(&r);
    mc_buf got = MC_BUF_INIT;
    OK(oss_client_get(f->c, "mplist", "target", 0, -1, &got, E));
    assert_int_equal(got.len, 102400 + 4);
    assert_memory_equal(got.data, big, 102400);
    assert_memory_equal(got.data + 102400, "tail", 4);
    /* Completed: no longer listed as in progress; ListParts answers NoSuchUpload. */
    call_ok(f->c, "GET", "mplist", NULL, &up, 1, NULL, 0, NULL, &r);
    assert_null(strstr(mc_buf_cstr(&r.body), "<Key>target</Key>"));
    oss_client_result_clear(&r);
    raw_fails(f->c, "GET", "mplist", "target", &lp, 1, NULL, 0, NULL, 404, "NoSuchUpload");
    mc_buf_free(&got);
    mc_buf_free(&xml);
    free(e1);
    free(e2);
    free(uid);
    free(big);
}

#define GROUP(setup)                                                                                               \
    cmocka_unit_test_setup_teardown(test_buckets, setup, teardown),                                                \
        cmocka_unit_test_setup_teardown(test_put_get_head, setup, teardown),                                       \
        cmocka_unit_test_setup_teardown(test_object_errors, setup, teardown),                                      \
        cmocka_unit_test_setup_teardown(test_ranges_and_conditions, setup, teardown),                              \
        cmocka_unit_test_setup_teardown(test_copy_append, setup, teardown),                                        \
        cmocka_unit_test_setup_teardown(test_list_and_delete_multiple, setup, teardown),                           \
        cmocka_unit_test_setup_teardown(test_multipart, setup, teardown),                                          \
        cmocka_unit_test_setup_teardown(test_streamed_uploads, setup, teardown),                                   \
        cmocka_unit_test_setup_teardown(test_auth_errors, setup, teardown),                                        \
        cmocka_unit_test_setup_teardown(test_sts, setup, teardown),                                                \
        cmocka_unit_test_setup_teardown(test_presign, setup, teardown),                                            \
        cmocka_unit_test_setup_teardown(test_anonymous_refused, setup, teardown),                                  \
        cmocka_unit_test_setup_teardown(test_service_and_bucket_info, setup, teardown),                            \
        cmocka_unit_test_setup_teardown(test_list_v1_and_meta, setup, teardown),                                   \
        cmocka_unit_test_setup_teardown(test_multipart_listing_and_part_copy, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        GROUP(setup_v4),
        GROUP(setup_v1),
        cmocka_unit_test(test_client_config_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
